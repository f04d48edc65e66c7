// Package asm has an assembly function next to Go code using unsafe.
package asm

import "unsafe"

// Addr returns the address of *p.
func Addr(p *int64) uintptr {
	return uintptr(unsafe.Pointer(p)) // want: unsafe.Pointer uintptr; unsafe.Pointer
}
