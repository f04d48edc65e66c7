package cg

import "unsafe"

// First returns the first byte through a pointer cast.
func First(b []byte) byte {
	return *(*byte)(unsafe.Pointer(&b[0])) // want: unsafe.Pointer *byte; unsafe.Pointer
}
