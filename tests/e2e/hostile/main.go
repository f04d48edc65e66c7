// Command hostile passes the logger strings it must redact or cut: a
// secret as a struct field name and tag (StructOf), inside a map key type
// (MapOf), and as a looked-up name; with the argument "bigtag", a 10 MB
// struct tag and a 1 MB looked-up name of control characters.
package main

import (
	"fmt"
	"os"
	"reflect"
	"strings"
)

const secret = "Hunter2SecretToken0123456789abcdef"

func main() {
	tag := `json:"` + secret + `"`
	if len(os.Args) > 1 && os.Args[1] == "bigtag" {
		tag = strings.Repeat("\x01", 10<<20) // escaped as \u0001: six bytes each
	}
	st := reflect.StructOf([]reflect.StructField{{Name: secret, Type: reflect.TypeOf(0), Tag: reflect.StructTag(tag)}})
	mt := reflect.MapOf(st, reflect.TypeOf(""))
	m := reflect.MakeMap(mt)
	k := reflect.New(st).Elem()
	k.Field(0).SetInt(1)
	m.SetMapIndex(k, reflect.ValueOf("v"))
	f := k.FieldByName(secret)
	g := reflect.ValueOf(struct{ A int }{}).FieldByName(secret + "Lookup")
	if len(os.Args) > 1 && os.Args[1] == "bigtag" {
		g = reflect.ValueOf(struct{ A int }{}).FieldByName(strings.Repeat("\x01", 1<<20))
	}
	fmt.Println(m.Len(), f.Int(), g.IsValid())
}
