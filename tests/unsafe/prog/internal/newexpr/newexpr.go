// Package newexpr uses syntax tree-sitter-go 0.25.0 reads as errors: Go
// 1.26's new(expr) and a call of a local variable named make. Its unsafe
// operations must be logged all the same (gosyn parses it by respelling).
package newexpr

import "unsafe"

type rec struct{ A, B int64 }

func id(x int64) int64 { return x }

// Sum adds fields read through pointers that new(expr) made.
func Sum() int64 {
	r := new(rec{1, id(40)})
	n := new(new(len("make")))
	s := new([]int) // new(T): the grammar reads T as a type
	*s = append(*s, 5)
	make := func(k int) int { return k + 1 } // a local variable named make
	p := new(unsafe.Pointer(r))              // want: unsafe.Pointer
	b := (*int64)(unsafe.Add(*p, 8))         // want: unsafe.Pointer *int64; unsafe.Add
	return *b + int64(**n) + int64(len(*s)) + int64(make(0))
}
