// Command noos uses reflect without importing os (or anything that does):
// the logger must still link and log, through package runtime alone.
package main

import "reflect"

type T struct{ A int }

func main() {
	v := reflect.ValueOf(&T{}).Elem()
	f := v.FieldByName("A") // want: reflect.Value.FieldByName main.T.A
	f.SetInt(5)             // want: reflect.Value.SetInt int
	println("A =", v.Field(0).Int())
}
