// Package cg has a cgo file using unsafe (its Go code is wrapped; its calls
// into C are blind spots) and a Go file using unsafe (wrapped).
package cg

/*
static int twice(int x) { return 2 * x; }
*/
import "C"

import "unsafe"

// Twice doubles x in C.
func Twice(x int) int {
	v := C.int(x)
	p := (*C.int)(unsafe.Pointer(&v)) // want: unsafe.Pointer *C.int; unsafe.Pointer
	return int(C.twice(*p))
}
