// Command slow performs a reflect operation, waits for a line on stdin,
// then performs another: tests remove or replace its log in between.
package main

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
)

type T struct{ A, B int }

func main() {
	v := reflect.ValueOf(&T{}).Elem()
	v.FieldByName("A").SetInt(1) // want: reflect.Value.FieldByName main.T.A; reflect.Value.SetInt int
	bufio.NewReader(os.Stdin).ReadString('\n')
	v.FieldByName("B").SetInt(2) // want: reflect.Value.FieldByName main.T.B; reflect.Value.SetInt int
	fmt.Println(v.Interface())
	os.Exit(5)
}
