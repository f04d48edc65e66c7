// Fixture: the shapes of unsafe operations goinstr wraps or leaves alone.
package cases

import (
	"syscall"
	u "unsafe" // an alias: sites are found by the import's name
)

type T struct{ A, B int64 }

var x int64
var gp = u.Pointer(&x)                  // package level: operand wrapped
var gk = f(uintptr(u.Pointer(&x)))      // keepalive form at package level: left alone
const size = u.Sizeof(T{})              // constant
var buf [u.Alignof(x) + u.Offsetof(T{}.B)]byte // constants in a type

func f(uintptr) int { return 0 }

func ops(t *T, s string, b []byte, n int) {
	a := (*[2]int64)(u.Pointer(t))                                  // cast: operand wrapped, to recorded
	c := (*int64)(u.Pointer(uintptr(u.Pointer(t)) + u.Offsetof(t.B))) // arithmetic stays whole
	d := (*T)(u.Add(u.Pointer(t), 8))                                // nested: Add around a conversion
	e := u.Slice(u.StringData(s), len(s))
	g := u.String(u.SliceData(b), n)
	h := u.Pointer(nil)                                             // nil: result wrapped
	i := u.Pointer(next())                                          // call operand: result wrapped
	_, _, _, _, _, _, _ = a, c, d, e, g, h, i
	syscall.Syscall(0, uintptr(u.Pointer(&b[0])), 0, 0) // keepalive: logged before the statement
	if r, _, _ := syscall.Syscall(0, uintptr(u.Pointer(t)), 0, 0); r != 0 {
		return
	} else if r, _, _ := syscall.Syscall(0, uintptr(u.Pointer(t)), 0, 0); r != 0 { // else-if: left alone
		return
	}
	func() { _ = u.Pointer(t) }() // in a function literal
}

func next() *T { return nil }

func generic[E any](p *E, n int) []E { return u.Slice(p, n) }

//go:nosplit
func fast(t *T) *int64 { return (*int64)(u.Pointer(t)) } // nosplit: left alone

//go:linkname nanotime runtime.nanotime
func nanotime() int64
