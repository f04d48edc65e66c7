// Syntax tree-sitter-go 0.25.0 reads as errors, which gosyn parses by
// respelling new and make: the unsafe sites here are found and wrapped as
// in any other file, and the calls of new and make are kept as written.
package newexpr

import "unsafe"

type pair struct{ a, b int64 }

func f(n int) int { return n }

func cases(p *pair) {
	a := new(f(1))                                // a call
	b := new(pair{1, 2})                          // a composite literal
	c := new(new(int64(3)))                       // nested, a conversion inside
	d := new([]int)                               // new(T): read as a type
	e := new(map[string]unsafe.Pointer)           // a type naming unsafe.Pointer: no site
	g := new(unsafe.Pointer(p))                   // a site inside new(expr)
	h := new(*(*int64)(unsafe.Pointer(&p.b)))     // a conversion inside new(expr)
	make := func(n uintptr) uintptr { return n }  // a local variable named make
	i := make(uintptr(unsafe.Pointer(b)))         // a site inside a call of it
	j := unsafe.Add(unsafe.Pointer(new(f(2))), 0) // new(expr) inside a site
	k := []uintptr{make(1) + 0}                   // not a site
	_, _, _, _, _, _, _, _, _, _, _ = a, b, c, d, e, g, h, i, j, k, make
}
