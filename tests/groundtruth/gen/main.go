// Command gen writes the ground-truth program of goinstr's tests: a Go
// program whose every reflect operation is known in advance, written
// next to it as a `// want: OP TARGET` comment (the notation of
// tests/e2e/logcheck, which checks the log against them).
//
// The program is built from a catalogue of sites (one line of Go each,
// with the events it must cause) instantiated for several struct types
// and functions, so the set of distinct (op, site, target) events is
// large and known. Each site sits alone in a function; main calls some
// sites once, some 1,000 times in a loop, and some from 16 goroutines at
// once, 100 times each: every event must still be logged exactly once
// per process. The program imports reflect, sync and unsafe only, and
// sync performs no reflect operation, so any event the log holds beyond
// the wants is spurious; gen prints the number of wants per process on
// stdout for the test to compare with the log's event count.
//
// Unsafe operations are logged in user code too: the templates of
// category unsafeop use package unsafe (pointer casts, Add, String,
// Slice and their Data functions, a conversion to uintptr, the syscall
// keepalive form), so the program has dozens of wrapped sites, more than
// one block of its package's site table, each hit once, 1,000 times or
// concurrently like the others.
//
// Usage: gen -o main.go [-types N] [-funcs N]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

// A template is one site: Go code on one line, and the events it causes
// as "OP TARGET" (TARGET may be empty). In both, {T} is the struct type's
// name (T3), {QT} its qualified name as the log prints it (main.T3).
type template struct {
	cat    string // the goinstr category of the site's main op
	code   string
	events []string
}

// Struct types have fields A int, B string, C []int, methods M (value
// receiver) and P (pointer receiver); x is a variable of the type.
var catalogue = []template{
	// read
	{"read", "_ = reflect.ValueOf(x)", []string{"reflect.ValueOf"}},
	{"read", "_ = reflect.TypeOf(x)", []string{"reflect.TypeOf"}},
	{"read", "_ = reflect.TypeFor[{T}]()", []string{"reflect.TypeFor"}},
	{"read", "_ = reflect.ValueOf(&x).Elem()", []string{"reflect.ValueOf", "reflect.Value.Elem *{QT}"}},
	{"read", "_ = reflect.ValueOf(x).NumField()", []string{"reflect.ValueOf", "reflect.Value.NumField {QT}"}},
	{"read", "_ = reflect.ValueOf(x).Field(1)", []string{"reflect.ValueOf", "reflect.Value.Field {QT}"}},
	{"read", "_ = reflect.ValueOf(x).NumMethod()", []string{"reflect.ValueOf", "reflect.Value.NumMethod {QT}"}},
	{"read", "_ = reflect.ValueOf(x).IsZero()", []string{"reflect.ValueOf", "reflect.Value.IsZero {QT}"}},
	{"read", "_ = reflect.ValueOf([]{T}{x}).Index(0)", []string{"reflect.ValueOf", "reflect.Value.Index []{QT}"}},
	{"read", `_ = reflect.ValueOf(map[string]{T}{"k": x}).MapIndex(reflect.ValueOf("k"))`, []string{"reflect.ValueOf", "reflect.Value.MapIndex map[string]{QT}"}},
	{"read", "_ = reflect.TypeOf(x).NumMethod()", []string{"reflect.TypeOf", "reflect.Type.NumMethod {QT}"}},
	{"read", "_ = reflect.TypeOf(x).Name()", []string{"reflect.TypeOf", "reflect.Type.Name {QT}"}},
	{"read", "_ = reflect.TypeOf(x).String()", []string{"reflect.TypeOf", "reflect.Type.String {QT}"}},
	{"read", "_ = reflect.TypeOf(x).Size()", []string{"reflect.TypeOf", "reflect.Type.Size {QT}"}},
	{"read", "_ = reflect.TypeOf(&x).Elem()", []string{"reflect.TypeOf", "reflect.Type.Elem *{QT}"}},
	{"read", "_ = reflect.TypeOf(x).Field(0)", []string{"reflect.TypeOf", "reflect.Type.Field {QT}"}},
	{"read", "_ = reflect.DeepEqual(x, x)", []string{"reflect.DeepEqual"}},
	{"read", "_ = reflect.Indirect(reflect.ValueOf(&x))", []string{"reflect.ValueOf", "reflect.Indirect *{QT}"}},
	// lookup
	{"lookup", `_ = reflect.ValueOf(x).FieldByName("B")`, []string{"reflect.ValueOf", "reflect.Value.FieldByName {QT}.B"}},
	{"lookup", `_ = reflect.ValueOf(x).FieldByIndex([]int{2})`, []string{"reflect.ValueOf", "reflect.Value.FieldByIndex {QT}"}},
	{"lookup", `_, _ = reflect.TypeOf(x).FieldByName("A")`, []string{"reflect.TypeOf", "reflect.Type.FieldByName {QT}.A"}},
	{"lookup", `_, _ = reflect.TypeOf(x).MethodByName("M")`, []string{"reflect.TypeOf", "reflect.Type.MethodByName {QT}.M"}},
	{"lookup", `_ = reflect.TypeOf(x).Method(0)`, []string{"reflect.TypeOf", "reflect.Type.Method {QT}.M"}},
	{"lookup", `_ = reflect.VisibleFields(reflect.TypeOf(x))`, []string{"reflect.TypeOf", "reflect.VisibleFields {QT}"}},
	// call
	{"call", `_ = reflect.ValueOf(x).MethodByName("M")`, []string{"reflect.ValueOf", "reflect.Value.MethodByName {QT}.M"}},
	{"call", `_ = reflect.ValueOf(&x).MethodByName("P")`, []string{"reflect.ValueOf", "reflect.Value.MethodByName (*{QT}).P"}},
	{"call", `_ = reflect.ValueOf(x).Method(0).Call([]reflect.Value{reflect.ValueOf(1)})`, []string{"reflect.ValueOf", "reflect.Value.Method {QT}.M", "reflect.Value.Call {QT}.M"}},
	// mutate
	{"mutate", "reflect.ValueOf(&x).Elem().Field(0).SetInt(5)", []string{"reflect.ValueOf", "reflect.Value.Elem *{QT}", "reflect.Value.Field {QT}", "reflect.Value.SetInt int"}},
	{"mutate", `reflect.ValueOf(&x).Elem().Field(1).SetString("s")`, []string{"reflect.ValueOf", "reflect.Value.Elem *{QT}", "reflect.Value.Field {QT}", "reflect.Value.SetString string"}},
	{"mutate", "reflect.ValueOf(&x).Elem().Field(0).Set(reflect.ValueOf(7))", []string{"reflect.ValueOf", "reflect.Value.Elem *{QT}", "reflect.Value.Field {QT}", "reflect.Value.Set int"}},
	{"mutate", "reflect.ValueOf(&x).Elem().SetZero()", []string{"reflect.ValueOf", "reflect.Value.Elem *{QT}", "reflect.Value.SetZero {QT}"}},
	{"mutate", `reflect.ValueOf(map[string]{T}{}).SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf(x))`, []string{"reflect.ValueOf", "reflect.Value.SetMapIndex map[string]{QT}"}},
	{"mutate", "_ = reflect.Copy(reflect.ValueOf([]{T}{x}), reflect.ValueOf([]{T}{x}))", []string{"reflect.ValueOf", "reflect.Copy []{QT}"}},
	{"mutate", "_ = reflect.Swapper([]{T}{x, x})", []string{"reflect.Swapper"}},
	// construct
	{"construct", "_ = reflect.New(reflect.TypeOf(x))", []string{"reflect.TypeOf", "reflect.New {QT}"}},
	{"construct", "_ = reflect.Zero(reflect.TypeOf(x))", []string{"reflect.TypeOf", "reflect.Zero {QT}"}},
	{"construct", "_ = reflect.PointerTo(reflect.TypeOf(x))", []string{"reflect.TypeOf", "reflect.PointerTo {QT}"}},
	{"construct", "_ = reflect.SliceOf(reflect.TypeOf(x))", []string{"reflect.TypeOf", "reflect.SliceOf {QT}"}},
	{"construct", "_ = reflect.ArrayOf(2, reflect.TypeOf(x))", []string{"reflect.TypeOf", "reflect.ArrayOf {QT}"}},
	{"construct", "_ = reflect.ChanOf(reflect.BothDir, reflect.TypeOf(x))", []string{"reflect.TypeOf", "reflect.ChanOf {QT}"}},
	{"construct", "_ = reflect.MakeSlice(reflect.TypeOf([]{T}{}), 1, 2)", []string{"reflect.TypeOf", "reflect.MakeSlice []{QT}"}},
	{"construct", "_ = reflect.MakeMap(reflect.TypeOf(map[string]{T}{}))", []string{"reflect.TypeOf", "reflect.MakeMap map[string]{QT}"}},
	{"construct", "_ = reflect.MakeChan(reflect.TypeOf(make(chan {T})), 1)", []string{"reflect.TypeOf", "reflect.MakeChan chan {QT}"}},
	{"construct", "_ = reflect.Append(reflect.ValueOf([]{T}{}), reflect.ValueOf(x))", []string{"reflect.ValueOf", "reflect.Append []{QT}"}},
	{"construct", "_ = reflect.ValueOf(&x).Elem().Field(0).Convert(reflect.TypeOf(int64(0)))", []string{"reflect.ValueOf", "reflect.TypeOf", "reflect.Value.Elem *{QT}", "reflect.Value.Field {QT}", "reflect.Value.Convert int64"}},
	{"construct", "_ = reflect.MakeFunc(reflect.TypeOf(func({T}) {T} { return x }), func(in []reflect.Value) []reflect.Value { return in })", []string{"reflect.TypeOf", "reflect.MakeFunc func({QT}) {QT}"}},
	// unsafe (reflect's own: pointers out of Values)
	{"unsafe", "_ = reflect.ValueOf(&x).Pointer()", []string{"reflect.ValueOf", "reflect.Value.Pointer *{QT}"}},
	{"unsafe", "_ = reflect.ValueOf(&x).UnsafePointer()", []string{"reflect.ValueOf", "reflect.Value.UnsafePointer *{QT}"}},
	{"unsafe", "_ = reflect.ValueOf(&x).Elem().Addr()", []string{"reflect.ValueOf", "reflect.Value.Elem *{QT}", "reflect.Value.Addr {QT}"}},
	{"unsafe", "_ = reflect.NewAt(reflect.TypeOf(x), reflect.ValueOf(&x).UnsafePointer())", []string{"reflect.ValueOf", "reflect.TypeOf", "reflect.Value.UnsafePointer *{QT}", "reflect.NewAt {QT}"}},
	// unsafeop: package unsafe's operations, wrapped by goinstr. Each
	// conversion from or to unsafe.Pointer is a site of its own (a cast
	// (*T)(unsafe.Pointer(&v)) is two), whatever its operand: a local, a
	// parameter, a field, an alias, a defined type, a call's result, a
	// method value's, in a composite literal, in generic code (the
	// function cast). Never an operand of unsafe.Sizeof: not evaluated.
	{"unsafeop", "_ = *(*int)(unsafe.Pointer(&x.A))", []string{"unsafe.Pointer *int", "unsafe.Pointer"}},
	{"unsafeop", "_ = (*{T})(unsafe.Add(unsafe.Pointer(&x), 0))", []string{"unsafe.Pointer *{QT}", "unsafe.Add", "unsafe.Pointer"}},
	{"unsafeop", "_ = unsafe.String(unsafe.StringData(x.B), len(x.B))", []string{"unsafe.String string", "unsafe.StringData *byte"}},
	{"unsafeop", "_ = unsafe.Slice(unsafe.SliceData(x.C), len(x.C))", []string{"unsafe.Slice []int", "unsafe.SliceData *int"}},
	{"unsafeop", "_ = uintptr(unsafe.Pointer(&x)) != 0", []string{"unsafe.Pointer uintptr", "unsafe.Pointer"}},
	{"unsafeop", "keep(uintptr(unsafe.Pointer(&x.B)))", []string{"unsafe.Pointer uintptr", "unsafe.Pointer"}},
	{"unsafeop", "p := unsafe.Pointer(&x.A); _ = *(*int)(p)", []string{"unsafe.Pointer", "unsafe.Pointer *int"}},
	{"unsafeop", "_ = func(p unsafe.Pointer) int { return *(*int)(p) }(unsafe.Pointer(&x.A))", []string{"unsafe.Pointer *int", "unsafe.Pointer"}},
	{"unsafeop", "h := holder{unsafe.Pointer(&x.A)}; _ = *(*int)(h.p)", []string{"unsafe.Pointer", "unsafe.Pointer *int"}},
	{"unsafeop", "_ = *(*int)(P(&x.A))", []string{"unsafe.Pointer *int", "unsafe.Pointer main.P"}},
	{"unsafeop", "_ = *(*int)(Ptr(&x.A))", []string{"unsafe.Pointer *int", "unsafe.Pointer main.Ptr"}},
	{"unsafeop", "_ = (*{T})(reflect.ValueOf(&x).UnsafePointer())", []string{"reflect.ValueOf", "reflect.Value.UnsafePointer *{QT}", "unsafe.Pointer *{QT}"}},
	{"unsafeop", "f := reflect.ValueOf(&x).UnsafePointer; _ = (*{T})(f())", []string{"reflect.ValueOf", "reflect.Value.UnsafePointer *{QT}", "unsafe.Pointer *{QT}"}},
	{"unsafeop", "_ = []*int{(*int)(unsafe.Pointer(&x.A)), (*int)(unsafe.Add(unsafe.Pointer(&x.A), 0))}", []string{"unsafe.Pointer *int", "unsafe.Pointer", "unsafe.Pointer *int", "unsafe.Add", "unsafe.Pointer"}},
	{"unsafeop", "_ = cast[{T}](unsafe.Pointer(&x))", []string{"unsafe.Pointer"}},
	{"unsafeop", "_ = unsafe.Sizeof(*(*int)(unsafe.Pointer(&x.A)))", nil},
}

func main() {
	out := flag.String("o", "main.go", "output file")
	ntypes := flag.Int("types", 4, "struct types to instantiate the catalogue for")
	nfuncs := flag.Int("funcs", 8, "functions called through reflect.Value.Call")
	flag.Parse()

	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("// Code generated by goinstr's tests/groundtruth/gen. DO NOT EDIT.\n\n")
	w("// Every reflect operation of this program is announced by a want comment.\n")
	w("package main\n\nimport (\n\t\"reflect\"\n\t\"sync\"\n\t\"unsafe\"\n)\n\n")
	w("// keep takes a pointer as an integer, as syscall.Syscall does.\n")
	w("//\n//go:noinline\nfunc keep(p uintptr) { _ = p }\n\n")
	w("type holder struct{ p unsafe.Pointer }\n\n")
	w("// An alias of unsafe.Pointer, and a defined type of it.\n")
	w("type (\n\tP   = unsafe.Pointer\n\tPtr unsafe.Pointer\n)\n\n")
	w("// cast is generic code: its conversion's event names the type parameter.\n")
	w("func cast[T any](p unsafe.Pointer) *T { return (*T)(p) } // want: unsafe.Pointer *T\n\n")
	nwants := 1
	for t := 0; t < *ntypes; t++ {
		w("type T%d struct {\n\tA int\n\tB string\n\tC []int\n}\n\n", t)
		w("func (t T%d) M(x int) int { return x + t.A + %d }\n\n", t, t)
		w("func (t *T%d) P(s string) string { return s + t.B }\n\n", t)
	}
	for f := 0; f < *nfuncs; f++ {
		w("func f%d(a, b int) int { return a*b + %d }\n\n", f, f)
	}

	nsites := 0
	site := func(setup, code string, events []string) {
		w("func site%d() {\n", nsites)
		if setup != "" {
			w("\t%s\n", setup)
		}
		if len(events) == 0 {
			w("\t%s // no event: never evaluated\n}\n\n", code)
		} else {
			w("\t%s // want: %s\n}\n\n", code, strings.Join(dedup(events), "; "))
		}
		nsites++
		nwants += len(dedup(events))
	}
	for t := 0; t < *ntypes; t++ {
		name := fmt.Sprintf("T%d", t)
		r := strings.NewReplacer("{T}", name, "{QT}", "main."+name)
		for _, tp := range catalogue {
			var ev []string
			for _, e := range tp.events {
				ev = append(ev, r.Replace(e))
			}
			site(fmt.Sprintf("x := %s{A: %d, B: \"b\", C: []int{1}}\n\t_ = x", name, t), r.Replace(tp.code), ev)
		}
	}
	for f := 0; f < *nfuncs; f++ {
		site("", fmt.Sprintf("_ = reflect.ValueOf(f%d).Call([]reflect.Value{reflect.ValueOf(%d), reflect.ValueOf(2)})", f, f),
			[]string{"reflect.ValueOf", fmt.Sprintf("reflect.Value.Call main.f%d", f)})
	}

	// A function dense in unsafe sites (as transpiled C is) has its
	// wrappers called out of line rather than inlined: they log alike.
	w("func dense(s string) int {\n\tx := T0{A: 1, B: s, C: []int{2}}\n\tn := 0\n")
	var dense []template // one-statement unsafe sites that declare nothing
	for _, tp := range catalogue {
		if tp.cat == "unsafeop" && len(tp.events) > 0 && !strings.Contains(tp.code, ":=") {
			dense = append(dense, tp)
		}
	}
	for i := 0; i < 20; i++ {
		tp := dense[i%len(dense)]
		var ev []string
		for _, e := range tp.events {
			ev = append(ev, strings.NewReplacer("{T}", "T0", "{QT}", "main.T0").Replace(e))
		}
		w("\t%s // want: %s\n\tn++\n", strings.NewReplacer("{T}", "T0").Replace(tp.code), strings.Join(dedup(ev), "; "))
		nwants += len(dedup(ev))
	}
	w("\treturn n\n}\n\n")

	// Sites 0, 3, 6, ... run once; 1, 4, 7, ... 1,000 times in a loop;
	// 2, 5, 8, ... from 16 goroutines at once, 100 times each.
	w("func main() {\n\t_ = dense(\"d\")\n")
	for s := 0; s < nsites; s += 3 {
		w("\tsite%d()\n", s)
	}
	w("\tfor i := 0; i < 1000; i++ {\n")
	for s := 1; s < nsites; s += 3 {
		w("\t\tsite%d()\n", s)
	}
	w("\t}\n\tvar wg sync.WaitGroup\n\tfor g := 0; g < 16; g++ {\n\t\twg.Add(1)\n")
	w("\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tfor i := 0; i < 100; i++ {\n")
	for s := 2; s < nsites; s += 3 {
		w("\t\t\t\tsite%d()\n", s)
	}
	w("\t\t\t}\n\t\t}()\n\t}\n\twg.Wait()\n}\n")

	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Println(nwants)
	fmt.Fprintf(os.Stderr, "gen: %s: %d sites, %d events per process\n", *out, nsites, nwants)
}

// dedup drops repeated reflect events of one line (the log has each
// once: its dedup key is the op's caller position and target) and sorts
// them, so the output does not depend on the catalogue's order. Unsafe
// events stay as many as listed: each site of a line is one.
func dedup(events []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range events {
		if !seen[e] || strings.HasPrefix(e, "unsafe.") {
			seen[e] = true
			out = append(out, e)
		}
	}
	sort.Strings(out)
	return out
}
