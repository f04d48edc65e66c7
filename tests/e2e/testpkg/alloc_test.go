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
