// Fixture: a declaration with more than 16 taps (transpiled C is made of
// them) calls the tap out of line (goinstrU0C); one with fewer inlines it.
// Its function literals' taps count toward it.
package dense

import "unsafe"

type T struct{ a, b int64 }

type Ptr unsafe.Pointer // an operand of a type of its own, in a dense declaration

func few(p uintptr) int64 { return (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b }

func many(p uintptr) int64 {
	t := (*T)(unsafe.Pointer(p))
	t.a += (*T)(unsafe.Pointer(p + 8)).b
	t.a += (*T)(unsafe.Pointer(p)).b + (*T)(unsafe.Pointer(p)).a
	f := func() int64 { return (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b }
	t.a += f() + (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	t.a += (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	t.a += (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	t.a += (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	t.a += (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	t.a += (*T)(unsafe.Pointer(p)).a + (*T)(unsafe.Pointer(p)).b
	return t.a + (*T)(Ptr(unsafe.Pointer(p))).b
}
