// lang: go1.16
// Fixture: a package whose language is before go1.17 (no unsafe.Add):
// its pointer taps are a round trip through uintptr, as code before 1.17
// writes unsafe.Pointer(uintptr(p) + off).
package old

import "unsafe"

func old(p unsafe.Pointer) *int64 { return (*int64)(p) }

func arith(p unsafe.Pointer) *int32 { return (*int32)(unsafe.Pointer(uintptr(p) + 4)) }
