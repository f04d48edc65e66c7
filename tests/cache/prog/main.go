// Command prog performs one reflect operation, which an instrumented
// build logs, and says so on stdout: tests/cache.sh builds it with
// goinstr's cache in states another user or a program could leave it in.
package main

import (
	"fmt"
	"reflect"
)

func main() {
	var n int64
	reflect.ValueOf(&n).Elem().SetInt(42)
	fmt.Println("prog", n)
}
