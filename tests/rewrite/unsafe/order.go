// Fixture: statement shapes where gc reads an operand after the
// statement's calls. The taps add calls that read nothing, so every
// operand is read where gc reads it.
package order

import "unsafe"

var buf []byte
var p unsafe.Pointer
var m = map[unsafe.Pointer]int{}

func body() uint64 { buf = append(buf, 0); return uint64(len(buf)) }
func g() uintptr   { p = nil; return 1 }

func shapes(q *int64) (uintptr, unsafe.Pointer, []uintptr) {
	*(*uint64)(unsafe.Pointer(&buf[0])) = body()
	a := uintptr(unsafe.Pointer(q)) + uintptr(g())
	u1, u2 := unsafe.Pointer(q), g()
	l := []uintptr{uintptr(p), uintptr(g())}
	m[unsafe.Pointer(q)] = int(g())
	if p != nil && uintptr(p) > g() {
		a++
	}
	_ = u2
	return a, u1, l
}
