// lang: go1.18
// Fixture: a package whose language has unsafe.Add but not unsafe.SliceData
// (go1.17 to go1.19): its pointer taps add a zero with unsafe.Add.
package old117

import "unsafe"

func cast(p unsafe.Pointer) *int64 { return (*int64)(p) }
