// Package cg has a cgo file using unsafe (left alone) and a Go file
// using unsafe (wrapped).
package cg

/*
static int twice(int x) { return 2 * x; }
*/
import "C"

import "unsafe"

// Twice doubles x in C.
func Twice(x int) int {
	v := C.int(x)
	p := (*C.int)(unsafe.Pointer(&v)) // in a cgo file: left alone
	return int(C.twice(*p))
}
