// Command longnames looks up, at one call site, names that share their
// first 64 bytes (where INSTRUMENTATION_MAX_STRING cuts them by default)
// and differ after, and makes struct types whose strings share theirs: the
// log shows each cut, and must still hold each once, as the event it is
// (its identity is the whole name). tests/e2e.sh counts the lines.
package main

import (
	"fmt"
	"reflect"
	"strings"
)

type T struct{ A int }

func main() {
	prefix := strings.Repeat("N", 64)
	names := []string{prefix + "A", prefix + "B", prefix + "A" + strings.Repeat("z", 100)}
	v := reflect.ValueOf(T{})
	found := 0
	for pass := 0; pass < 2; pass++ {
		for _, s := range names {
			if v.FieldByName(strings.Clone(s)).IsValid() {
				found++
			}
		}
	}
	made := 0
	for pass := 0; pass < 2; pass++ {
		for _, s := range []string{"A", "B"} {
			f := reflect.StructField{Name: "F" + prefix + s, Type: reflect.TypeOf(0)}
			if reflect.New(reflect.StructOf([]reflect.StructField{f})).IsValid() {
				made++
			}
		}
	}
	fmt.Println(found, made)
}
