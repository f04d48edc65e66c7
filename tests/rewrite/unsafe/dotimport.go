// Fixture: package unsafe imported with a dot. Its operations are called
// by their bare names and wrapped as usual; a local declaration of one of
// those names hides it from there to the end of its scope, as Go scopes it.
package dotimport

import (
	"syscall"
	. "unsafe"
)

type T struct{ A, B int64 }

var x int64
var gp = Pointer(&x)            // package level: operand wrapped
const size = Sizeof(T{})        // constant
var buf [Alignof(x)]byte        // a constant in a type
var ptrs []Pointer              // Pointer as a type: no site

func ops(t *T, s string, b []byte, n int) {
	a := (*[2]int64)(Pointer(t))             // cast: operand wrapped, to recorded
	c := (*int64)(Add(Pointer(t), Offsetof(t.B))) // Add around a conversion
	e := Slice(StringData(s), len(s))
	g := String(SliceData(b), n)
	syscall.Syscall(0, uintptr(Pointer(&b[0])), 0, 0) // keepalive
	_, _, _, _ = a, c, e, g
}

// Local declarations hide the operation of the same name.
func hidden(String func(*byte, int) string, p *byte) string {
	Add := func(a, b int) int { return a + b } // a local variable named Add
	n := Add(1, 2)                             // not unsafe.Add
	{
		type Pointer uintptr
		_ = Pointer(n) // a local type: a conversion, not unsafe.Pointer
	}
	q := Pointer(p) // the local type's scope ended: unsafe.Pointer again
	for Slice := range 3 {
		_ = Slice
	}
	_ = Slice(p, 1) // the range variable's scope ended: unsafe.Slice
	_ = q
	return String(p, n) // the parameter, not unsafe.String
}

// A declaration's own right-hand side still sees unsafe's name.
func self(p *byte) {
	StringData := StringData("x") // unsafe.StringData, then the variable
	_ = StringData
	var f func(Sizeof int) // a function type's parameter declares nothing
	_ = f
	_ = Sizeof(p) // constant
}
