// Fixture: package unsafe imported with a dot: found by types, not names.
package dotimport

import . "unsafe"

type T struct{ A, B int64 }

var ptrs []Pointer // Pointer as a type: no site

func ops(t *T, s string) (*int64, []byte) {
	return (*int64)(Add(Pointer(t), Offsetof(t.B))), Slice(StringData(s), len(s))
}

func hidden(p *byte) string {
	String := func(*byte, int) string { return "" } // a local variable named String
	return String(p, 1)                             // not unsafe.String
}
