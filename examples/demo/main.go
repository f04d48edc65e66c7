// Command demo performs a handful of reflect operations, directly and
// through encoding/json, so that a goinstr build has something to log.
package main

import (
	"encoding/json"
	"fmt"
	"reflect"
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
	// Call a function through reflection.
	out := reflect.ValueOf(double).Call([]reflect.Value{reflect.ValueOf(21)})
	fmt.Println("double:", out[0].Int())

	// Look a method up by name and call it.
	cfg := Config{Name: "api", Port: 80}
	m := reflect.ValueOf(cfg).MethodByName("Describe")
	fmt.Println("describe:", m.Call([]reflect.Value{reflect.ValueOf("svc-")})[0].String())

	// Mutate fields found by name.
	v := reflect.ValueOf(&cfg).Elem()
	v.FieldByName("Name").SetString("admin")
	v.FieldByName("Port").SetInt(8443)
	attrs := reflect.MakeMap(reflect.TypeOf(map[string]string{}))
	attrs.SetMapIndex(reflect.ValueOf("tier"), reflect.ValueOf("gold"))
	v.FieldByName("Attrs").Set(attrs)

	// Build a value over raw memory.
	var n int64 = 7
	p := reflect.NewAt(reflect.TypeOf(n), unsafe.Pointer(&n))
	p.Elem().SetInt(42)
	fmt.Println("n:", n)

	// Make a function at run time.
	swap := func(in []reflect.Value) []reflect.Value { return []reflect.Value{in[1], in[0]} }
	var f func(int, int) (int, int)
	reflect.ValueOf(&f).Elem().Set(reflect.MakeFunc(reflect.TypeOf(f), swap))
	a, b := f(1, 2)
	fmt.Println("swapped:", a, b)

	// encoding/json drives reflect on our behalf.
	js, _ := json.Marshal(cfg)
	fmt.Println("json:", string(js))
	var back Config
	if err := json.Unmarshal(js, &back); err != nil {
		panic(err)
	}
	fmt.Println("back:", back.Name, back.Port, back.Attrs["tier"])
}
