//go:build !windows

// Package conv is an unsafe-using package of the main module, with
// generic code.
package conv

import "unsafe"

// View reinterprets a slice of one element type as another.
func View[From, To any](s []From) []To {
	if len(s) == 0 {
		return nil
	}
	n := len(s) * int(unsafe.Sizeof(s[0])) / int(unsafe.Sizeof(*new(To)))
	return unsafe.Slice((*To)(unsafe.Pointer(&s[0])), n) // want: unsafe.Slice []To; unsafe.Pointer *To; unsafe.Pointer
}

// Sum adds int32s read as uint32s.
func Sum(xs []int32) uint32 {
	var t uint32
	for _, x := range View[int32, uint32](xs) {
		t += x
	}
	return t
}

// Bytes returns a string's bytes without copying.
func Bytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s)) // want: unsafe.Slice []byte; unsafe.StringData *byte
}
