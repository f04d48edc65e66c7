// Fixture: every unsafe operation goinstr-types finds by its types, and
// how each is wrapped. Operands come from locals, parameters, results,
// fields, aliases, defined types, call results, generic code, method
// values and composite literals.
package typed

import (
	"reflect"
	"syscall"
	"unsafe"
)

type P = unsafe.Pointer // an alias: its conversions are unsafe.Pointer's
type Ptr unsafe.Pointer // a defined type of its own

type S struct {
	f unsafe.Pointer
	n int64
}

var x int64
var gp = unsafe.Pointer(&x) // package level

const size = unsafe.Sizeof(S{}) // a constant: never wrapped

func local() *int64 {
	p := unsafe.Pointer(&x)
	return (*int64)(p) // a local of type unsafe.Pointer
}

func param(p unsafe.Pointer) string { return *(*string)(p) } // a json-iterator codec's store

func field(s *S) *int64 { return (*int64)(s.f) }

func alias(q P) *int32 { return (*int32)(q) }

func defined(r Ptr) *int64 { return (*int64)(r) }

func toDefined() Ptr { return Ptr(&x) }

func result(v reflect.Value) *int64 { return (*int64)(v.UnsafePointer()) }

func Cast[T any](p unsafe.Pointer) *T { return (*T)(p) }

func toUintptr(p unsafe.Pointer) uintptr { return uintptr(p) }

func methodValue(v reflect.Value) *int64 {
	f := v.UnsafePointer
	return (*int64)(f())
}

func literal(p unsafe.Pointer) []*int64 { return []*int64{(*int64)(p), (*int64)(unsafe.Add(p, 8))} }

func arith(s *S) *int64 {
	return (*int64)(unsafe.Pointer(uintptr(unsafe.Pointer(s)) + unsafe.Offsetof(s.n)))
}

func builtins(b []byte, s string) (string, []byte, *byte, *byte) {
	return unsafe.String(&b[0], len(b)), unsafe.Slice(unsafe.StringData(s), len(s)),
		unsafe.SliceData(b), unsafe.StringData(s)
}

func keepalive(b []byte) {
	syscall.Syscall(syscall.SYS_WRITE, 1, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
}

func unevaluated(p unsafe.Pointer) uintptr {
	const n = len((*[4]int)(nil))                   // no unsafe operation
	return unsafe.Sizeof(*(*int64)(p)) + uintptr(n) // never evaluated
}

//go:nosplit
func fast(p unsafe.Pointer) *int64 { return (*int64)(p) } // nosplit: left alone

//go:linkname nanotime runtime.nanotime
func nanotime() int64

func assembly() int64 // a body in assembly

func closure(p unsafe.Pointer) func() *int64 {
	return func() *int64 { return (*int64)(p) }
}

func nilPointer() unsafe.Pointer { return unsafe.Pointer(nil) }
