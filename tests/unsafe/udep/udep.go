// Package udep is a dependency whose go.mod says go 1.17: goinstr must
// wrap its unsafe operations without generics.
package udep

import "unsafe"

// Words reinterprets a pair of ints as a two-word array.
func Words(p *[2]int) *[2]uintptr {
	return (*[2]uintptr)(unsafe.Pointer(p)) // want: unsafe.Pointer *[2]uintptr; unsafe.Pointer
}

// Bytes views n bytes at p (unsafe.Slice in a go 1.17 module).
func Bytes(p *byte, n int) []byte {
	return unsafe.Slice(p, n) // want: unsafe.Slice []byte
}
