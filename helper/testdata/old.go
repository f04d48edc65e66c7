// lang: go1.19
// Fixture: a package whose language is before go1.20 (no unsafe.SliceData):
// its pointer taps are a round trip through uintptr, as code before 1.20
// writes unsafe.Pointer(uintptr(p) + off).
package old

import "unsafe"

func old(p unsafe.Pointer) *int64 { return (*int64)(p) }

func slice(p *byte) []byte { return unsafe.Slice(p, 4) }
