// Package dot imports unsafe with a dot: its operations are called by
// their bare names, and are logged like any other. A local declaration of
// one of those names hides it, as Go scopes it: no site there.
package dot

import . "unsafe"

type pair struct{ A, B int64 }

// Sum reads a pair's fields through pointers made by package unsafe.
func Sum() int64 {
	v := pair{30, 12}
	a := (*int64)(Pointer(&v))                             // want: unsafe.Pointer *int64; unsafe.Pointer
	b := (*int64)(Add(Pointer(&v), Offsetof(v.B)))         // want: unsafe.Pointer *int64; unsafe.Add; unsafe.Pointer
	s := String(StringData("go"), Sizeof(v.A)/Sizeof(v.A)) // want: unsafe.String string; unsafe.StringData *byte
	return *a + *b + int64(len(s)) + local(&v)
}

// local calls functions whose names are package unsafe's: its own.
func local(v *pair) int64 {
	Add := func(x, y int64) int64 { return x + y } // a local variable named Add
	String := func(p *pair) string { return "ab" } // and one named String
	return Add(v.A, -v.A) + int64(len(String(v))) - 2
}
