// Command chdir performs a reflect operation, changes its working
// directory to its argument, then performs many more: with a relative
// INSTRUMENTATION_LOG_PATH and rotation on, the log must stay where it
// was first opened.
package main

import (
	"fmt"
	"os"
	"reflect"
)

type T struct{ A int }

func main() {
	v := reflect.ValueOf(&T{}).Elem()
	v.FieldByName("A") // want: reflect.Value.FieldByName main.T.A
	if err := os.Chdir(os.Args[1]); err != nil {
		panic(err)
	}
	n := 0
	for i := 0; i < 200; i++ {
		if v.FieldByName(fmt.Sprintf("F%d", i)).IsValid() { // want: reflect.Value.FieldByName *
			n++
		}
	}
	fmt.Println(n)
}
