// Command dyncall makes the dynamic calls that static call graphs miss,
// each with a known target, for goinstr report --format edges
// (tests/report.sh). With an argument "more" it also runs extra sites,
// for the --baseline test.
package main

import (
	"fmt"
	"os"
	"reflect"
)

type Greeter struct{ Name string }

func (g Greeter) Hello(p string) string { return p + g.Name }
func (g Greeter) Bye() string           { return "bye " + g.Name }

func add(a, b int) int { return a + b }
func sum(xs ...int) (t int) {
	for _, x := range xs {
		t += x
	}
	return t
}

func call(f any, args ...any) reflect.Value {
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		in[i] = reflect.ValueOf(a)
	}
	return reflect.ValueOf(f).Call(in)[0]
}

func main() {
	fmt.Println(call(add, 1, 2).Int())
	g := reflect.ValueOf(Greeter{"go"})
	fmt.Println(g.MethodByName("Hello").Call([]reflect.Value{reflect.ValueOf("hi ")})[0])
	fmt.Println(g.Method(0).Call(nil)[0])
	fmt.Println(reflect.ValueOf(sum).CallSlice([]reflect.Value{reflect.ValueOf([]int{1, 2, 3})})[0])
	var neg func(int) int
	fn := reflect.MakeFunc(reflect.TypeOf(neg), func(in []reflect.Value) []reflect.Value {
		return []reflect.Value{reflect.ValueOf(-int(in[0].Int()))}
	})
	reflect.ValueOf(&neg).Elem().Set(fn)
	fmt.Println(neg(5))
	for i := 0; i < 3; i++ {
		fmt.Println(call(add, i, i).Int()) // one site, logged once per process
	}
	if len(os.Args) > 1 && os.Args[1] == "more" {
		fmt.Println(call(sum, 4, 5).Int())
		x := reflect.New(reflect.TypeOf(0))
		fmt.Println(x.Elem().Int())
	}
}
