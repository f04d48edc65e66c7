// Command basic performs the reflect operations of goinstr's acceptance
// test, each on a line that says what must be logged for it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"unsafe"
)

type Config struct {
	Name  string
	Port  int
	Attrs map[string]string
}

func (c Config) Describe(prefix string) string { return prefix + c.Name }

func double(x int) int { return 2 * x }

func main() {
	out := reflect.ValueOf(double).Call([]reflect.Value{reflect.ValueOf(21)}) // want: reflect.Value.Call main.double
	fmt.Println("double:", out[0].Int())

	cfg := Config{Name: "api", Port: 80}
	m := reflect.ValueOf(cfg).MethodByName("Describe")      // want: reflect.Value.MethodByName main.Config.Describe
	res := m.Call([]reflect.Value{reflect.ValueOf("svc-")}) // want: reflect.Value.Call main.Config.Describe
	fmt.Println("describe:", res[0].String())

	v := reflect.ValueOf(&cfg).Elem()
	name := v.FieldByName("Name")                                       // want: reflect.Value.FieldByName main.Config.Name
	name.SetString("admin")                                             // want: reflect.Value.SetString string
	port := v.FieldByName("Port")                                       // want: reflect.Value.FieldByName main.Config.Port
	port.SetInt(8443)                                                   // want: reflect.Value.SetInt int
	attrs := reflect.MakeMap(reflect.TypeOf(map[string]string{}))       // want: reflect.MakeMap map[string]string
	attrs.SetMapIndex(reflect.ValueOf("tier"), reflect.ValueOf("gold")) // want: reflect.Value.SetMapIndex map[string]string
	v.FieldByName("Attrs").Set(attrs)                                   // want: reflect.Value.FieldByName main.Config.Attrs; reflect.Value.Set map[string]string
	var n int64 = 7
	p := reflect.NewAt(reflect.TypeOf(n), unsafe.Pointer(&n)) // want: reflect.NewAt int64; unsafe.Pointer
	p.Elem().SetInt(42)                                       // want: reflect.Value.SetInt int64
	fmt.Println("n:", n)

	swap := func(in []reflect.Value) []reflect.Value { return []reflect.Value{in[1], in[0]} }
	var f func(int, int) (int, int)
	fv := reflect.ValueOf(&f).Elem()
	mf := reflect.MakeFunc(reflect.TypeOf(f), swap) // want: reflect.MakeFunc func(int, int) (int, int)
	fv.Set(mf)                                      // want: reflect.Value.Set func(int, int) (int, int)
	a, b := f(1, 2)
	fmt.Println("swapped:", a, b)

	// One site, a thousand times: one line.
	var sum int64
	for i := 0; i < 1000; i++ {
		x := reflect.New(reflect.TypeOf(sum)) // want: reflect.New int64
		x.Elem().SetInt(int64(i))             // want: reflect.Value.SetInt int64
		sum += x.Elem().Int()
	}
	fmt.Println("sum:", sum)

	// Long and odd strings are cut and escaped, never break the line.
	key := reflect.ValueOf(map[string]int{}).MethodByName(strings.Repeat("\"é\n", 40)) // want: reflect.Value.MethodByName *
	fmt.Println("valid:", key.IsValid())

	js, err := json.Marshal(cfg) // want-origin: reflect.PointerTo encoding/json
	if err != nil {
		panic(err)
	}
	fmt.Println("json:", string(js))
	var back Config
	if err := json.Unmarshal(js, &back); err != nil { // want-origin: reflect.Value.SetString encoding/json
		panic(err)
	}
	fmt.Println("back:", back.Name, back.Port, back.Attrs["tier"])
	os.Exit(3) // the exit code must pass through unchanged
}
