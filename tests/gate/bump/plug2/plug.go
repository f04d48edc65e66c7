// Package plug calls its handlers by name (version 2: Shout too, no
// legacy).
package plug

import "reflect"

type Handlers struct{}

func (Handlers) Hello() string { return "hello" }

func (Handlers) Shout() string { return "HELLO" }

// names are the handlers Run calls.
var names = []string{"Hello", "Shout"}

// Run calls each named handler of h through reflect.
func Run(h any) []string {
	var out []string
	v := reflect.ValueOf(h)
	for _, n := range names {
		out = append(out, v.MethodByName(n).Call(nil)[0].String())
	}
	return out
}
