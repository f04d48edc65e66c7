package testpkg

import (
	"reflect"
	"testing"
)

// After its first occurrence an event costs no allocation: the hot path
// of an instrumented call allocates nothing, logging on or off.
func TestNoAllocations(t *testing.T) {
	var s S
	v := reflect.ValueOf(&s).Elem().Field(0)
	typ := reflect.TypeOf(s)
	n := testing.AllocsPerRun(1000, func() {
		v.SetInt(3)                               // want: reflect.Value.SetInt int64
		_, _ = typ.FieldByName("N")               // want: reflect.Type.FieldByName testpkg.S.N
		_ = reflect.ValueOf(&s).MethodByName("X") // want: reflect.Value.MethodByName (*testpkg.S).X
	})
	if n != 0 {
		t.Fatalf("%v allocations per run, want 0", n)
	}
}

type counter struct{ Count int }

func (*counter) Reset() {}

// lookups calls methods of Value only: a name passed through an interface
// method (Type's) escapes in any build.
func lookups(v reflect.Value, field, method string) {
	_ = v.Elem().FieldByName(field) // want: reflect.Value.FieldByName testpkg.counter.Count
	_ = v.MethodByName(method)      // want: reflect.Value.MethodByName (*testpkg.counter).Reset
}

// A name a program builds from bytes stays on its stack, as in a plain
// build: the hooks let no argument escape, so the lookups cost the same
// allocations with such names as with constants (a hook that kept its
// name argument would move each name to the heap).
func TestArgumentsDoNotEscape(t *testing.T) {
	var c counter
	v := reflect.ValueOf(&c)
	buf := []byte("CountReset")
	lit := testing.AllocsPerRun(1000, func() { lookups(v, "Count", "Reset") })
	built := testing.AllocsPerRun(1000, func() { lookups(v, string(buf[:5]), string(buf[5:])) })
	if built != lit {
		t.Fatalf("%v allocations per run with names built from bytes, %v with constants", built, lit)
	}
}
