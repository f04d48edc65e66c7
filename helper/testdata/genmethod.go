// requires: go1.27
// Fixture: Go 1.27's methods with type parameters: found and wrapped like
// any other code (the helper's parser is the release's own).
package genmethod

import "unsafe"

type box struct{ v int64 }

func (b *box) Get[T any](f func(int64) T) T { return f(*(*int64)(unsafe.Pointer(b))) }

type list[E any] struct{ head *E }

func (l list[E]) Map[R any](f func(E) R) R { return f(*(*E)(unsafe.Pointer(l.head))) }
