// Package testpkg is exercised by `goinstr test`: its test performs
// reflect operations that must be logged from the test binary.
package testpkg

import "reflect"

// Set stores x into the field called name of the struct *p points to.
func Set(p any, name string, x int64) {
	reflect.ValueOf(p).Elem().FieldByName(name).SetInt(x) // want: reflect.Value.FieldByName testpkg.S.N; reflect.Value.SetInt int64
}

// S is a struct with one field.
type S struct{ N int64 }
