// Fixture: Go 1.27's methods with type parameters, which tree-sitter-go
// 0.25.0 cannot read: gosyn parses them from a copy in which each type
// parameter list is a comment of the same length, so the file is wrapped
// like any other and its text is kept as written.
package genmethod

import "unsafe"

type box struct{ v int64 }

func (b *box) Get[T any](f func(int64) T) T { return f(*(*int64)(unsafe.Pointer(b))) } // a method with a type parameter

func (b *box) Pair[
	K comparable,
	V any, // over several lines
](k K, v V) (K, V, unsafe.Pointer) {
	return k, v, unsafe.Pointer(&b.v)
}

type list[E any] struct{ head *E }

func (l list[E]) Map[R any](f func(E) R) R { return f(*(*E)(unsafe.Pointer(l.head))) } // a generic receiver too

func use(b *box) int64 {
	n := b.Get[int64](func(x int64) int64 { return x }) // explicit instantiation
	_, _, p := b.Pair(1, "x")
	return n + *(*int64)(p)
}
