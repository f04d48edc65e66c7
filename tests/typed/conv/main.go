// Command conv performs the unsafe operations the issue measured as
// missed (operands of type unsafe.Pointer from a local, a parameter and a
// field, an alias, uintptr), a file tree-sitter-go 0.25 could not parse,
// and an operation never evaluated. Each line says what it logs.
package main

import (
	"fmt"
	"unsafe"
)

type P = unsafe.Pointer

type S struct{ f unsafe.Pointer }

func param(p unsafe.Pointer) int64 { return *(*int64)(p) } // want: unsafe.Pointer *int64

func main() {
	var x int64 = 7
	p := unsafe.Pointer(&x)     // want: unsafe.Pointer
	a := *(*int64)(p)           // want: unsafe.Pointer *int64
	s := S{p}                   // a struct field of type unsafe.Pointer
	b := *(*int64)(s.f)         // want: unsafe.Pointer *int64
	q := P(&x)                  // want: unsafe.Pointer main.P
	c := *(*int32)(q)           // want: unsafe.Pointer *int32
	u := uintptr(p)             // want: unsafe.Pointer uintptr
	n := func() int32 { ; return *(*int32)(p) }() // want: unsafe.Pointer *int32
	z := unsafe.Sizeof(*(*int64)(p))             // never evaluated: no event
	fmt.Println(a, b, c, u != 0, param(p), n, z)
}
