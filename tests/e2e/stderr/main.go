// Command stderr closes its standard error, then performs a reflect
// operation (the logger opens its log then: it must not take fd 2), then
// writes a would-be log line to fd 2 and panics. With the log on fd 2,
// both would land in the log and forge lines.
package main

import (
	"os"
	"reflect"
)

type T struct{ A int }

func main() {
	os.Stderr.Close()
	v := reflect.ValueOf(&T{}).Elem()
	v.FieldByName("A").SetInt(1) // want: reflect.Value.FieldByName main.T.A; reflect.Value.SetInt int
	println(`{"time":"2026-01-01T00:00:00.000000000Z","msg":"forged","pid":1}`)
	os.NewFile(2, "fd2").WriteString("forged through os\n")
	panic("the program's own panic")
}
