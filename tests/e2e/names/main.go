// Command names looks fields up by names that differ in one byte, all at
// one call site, twice each and from fresh copies. The logger keys names
// of up to 16 bytes by their bytes (as overlapping words) and longer ones
// by hash: each distinct name must be logged exactly once, whatever its
// address (tests/e2e.sh checks the log with logcheck).
package main

import (
	"fmt"
	"reflect"
	"strings"
)

// Lengths 1 to 17; each pair differs in one byte (middle or last).
type T struct {
	A, B, AB, BA, ABC, ACB, Abcd, Abce, Abcdefg, Abcdefh, Abcdefgh, Abcdefgi, AbcdXfghijkl, AbcdYfghijkl, Abcdefghijklmnop, Abcdefghijklmnoq, Abcdefghijklmnopq, Abcdefghijklmnopr int
}

func main() {
	names := []string{"A", "B", "AB", "BA", "ABC", "ACB", "Abcd", "Abce", "Abcdefg", "Abcdefh", "Abcdefgh", "Abcdefgi", "AbcdXfghijkl", "AbcdYfghijkl", "Abcdefghijklmnop", "Abcdefghijklmnoq", "Abcdefghijklmnopq", "Abcdefghijklmnopr"}
	v := reflect.ValueOf(T{})
	found := 0
	for pass := 0; pass < 2; pass++ {
		for _, s := range names {
			s = strings.Clone(s)            // a new copy every time: keys follow content, not address
			if v.FieldByName(s).IsValid() { // want: reflect.Value.FieldByName main.T.A; reflect.Value.FieldByName main.T.B; reflect.Value.FieldByName main.T.AB; reflect.Value.FieldByName main.T.BA; reflect.Value.FieldByName main.T.ABC; reflect.Value.FieldByName main.T.ACB; reflect.Value.FieldByName main.T.Abcd; reflect.Value.FieldByName main.T.Abce; reflect.Value.FieldByName main.T.Abcdefg; reflect.Value.FieldByName main.T.Abcdefh; reflect.Value.FieldByName main.T.Abcdefgh; reflect.Value.FieldByName main.T.Abcdefgi; reflect.Value.FieldByName main.T.AbcdXfghijkl; reflect.Value.FieldByName main.T.AbcdYfghijkl; reflect.Value.FieldByName main.T.Abcdefghijklmnop; reflect.Value.FieldByName main.T.Abcdefghijklmnoq; reflect.Value.FieldByName main.T.Abcdefghijklmnopq; reflect.Value.FieldByName main.T.Abcdefghijklmnopr
				found++
			}
		}
	}
	fmt.Println(found)
}
