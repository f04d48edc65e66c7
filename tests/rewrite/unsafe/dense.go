// Fixture: a function with more than 16 wrapped sites (transpiled C is
// made of them) calls the wrappers out of line (goinstrUPC ...); one with
// fewer has them inlined. Its function literals' sites count toward it.
package dense

import "unsafe"

type T struct{ a, b int64 }

func few(p uintptr) int64 { return (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b }

func many(p uintptr, s string, b []byte) int64 {
	t := (*T)(unsafe.Pointer(p))
	t.a += (*T)(unsafe.Pointer(p + 8)).b
	t.a += (*T)(unsafe.Pointer(p)).b + (*T)(unsafe.Pointer(p)).a
	t.b += *(*int64)(unsafe.Add(unsafe.Pointer(p), 8))
	t.b += int64(len(unsafe.String(unsafe.StringData(s), len(s))))
	t.b += int64(len(unsafe.Slice(unsafe.SliceData(b), len(b))))
	f := func() int64 { return (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b }
	t.a += f() + (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	t.a += (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	t.a += (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	return t.a + (*T)(unsafe.Pointer(p)).b
}
