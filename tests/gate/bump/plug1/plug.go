// Package plug calls its handlers by name (version 1).
package plug

import "reflect"

type Handlers struct{}

func (Handlers) Hello() string { return "hello" }

func (Handlers) Shout() string { return "HELLO" }

// names are the handlers Run calls.
var names = []string{"Hello"}

// Run calls each named handler of h through reflect.
func Run(h any) []string {
	var out []string
	v := reflect.ValueOf(h)
	for _, n := range names {
		out = append(out, v.MethodByName(n).Call(nil)[0].String())
	}
	out = append(out, legacy())
	return out
}

// legacy makes a value through reflect; version 2 drops it.
func legacy() string { return reflect.New(reflect.TypeOf("")).Elem().String() }
