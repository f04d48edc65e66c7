// Command golden performs the fixed set of reflect and unsafe operations
// whose log lines are tests/logger/golden.jsonl, the log format's golden
// fixture (docs/log.md): tests/logger.sh builds it with goinstr, runs it
// and compares its log, normalized, with the fixture byte for byte. One
// goroutine, each operation once, in this order: the lines' order is
// fixed. Its first argument selects the set (tests/logger.sh says with
// which settings each runs).
package main

import (
	"os"
	"reflect"
	"strings"
	"unsafe"

	"goinstr.test/gdep"
)

type Config struct {
	Name string
	Port int
}

func (c Config) Describe(prefix string) string { return prefix + c.Name }

func double(x int) int { return 2 * x }

// events: the operations of every category, arguments of each kind,
// awkward strings, and, past the cap on events, limit lines.
func events() {
	reflect.ValueOf(double).Call([]reflect.Value{reflect.ValueOf(21)})
	b := [2]int32{1, 2}
	q := unsafe.Add(unsafe.Pointer(&b[0]), 4)
	_ = *(*int32)(q)
	cfg := Config{Name: "api", Port: 80}
	v := reflect.ValueOf(&cfg).Elem()
	name := v.FieldByName("Name")
	name.SetString("say \"hi\"\\")       // quotes and a backslash
	name.SetString("a\x00b\x01\t\n\x7f") // control characters
	name.SetString("bad\xff\xfeutf8")    // invalid UTF-8
	name.SetString("é" + strings.Repeat("x", 40))
	v.FieldByName("Port").SetInt(-8443)
	v.Set(reflect.ValueOf(Config{}))
	reflect.ValueOf(cfg).MethodByName("Desc\"ribe\x00\x1b\xc3")
	reflect.TypeOf(cfg).MethodByName("AMethodNameLongerThanTheCut")
	var f float64
	reflect.ValueOf(&f).Elem().SetFloat(2.5)
	var ok bool
	reflect.ValueOf(&ok).Elem().SetBool(true)
	var g func(int) int
	reflect.ValueOf(&g).Elem().Set(reflect.MakeFunc(reflect.TypeOf(g), func(in []reflect.Value) []reflect.Value { return in }))
	var n int64 = 7
	p := reflect.NewAt(reflect.TypeOf(n), unsafe.Pointer(&n))
	p.Elem().SetInt(42)
	// Past the cap (tests/logger.sh sets it to the 21 events above):
	// five new events, dropped and counted in limit lines at 1, 2 and 4.
	for _, m := range []string{"M1", "M2", "M3", "M4", "M5"} {
		reflect.ValueOf(cfg).MethodByName(m)
	}
	os.Stdout.WriteString(cfg.Name + "\n")
}

// wide: a string that, escaped, would take the line past its 16 KiB;
// then an event in the dependency, written to a new file after rotation.
func wide() {
	s := ""
	reflect.ValueOf(&s).Elem().SetString(strings.Repeat("\x01", 4000))
	gdep.Set(&s, "dep")
}

// redacted: one event whose string and address are redacted.
func redacted() {
	s := ""
	reflect.ValueOf(&s).Elem().SetString("secret")
}

func main() {
	switch os.Args[1] {
	case "events":
		events()
	case "wide":
		wide()
	case "redacted":
		redacted()
	}
}
