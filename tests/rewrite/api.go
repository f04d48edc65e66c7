// Fixture: declarations of the shapes found in package reflect.

//go:build !never

package reflect

import "unsafe"

// Exported function with a Type argument: target is the type.
func New(typ Type) Value {
	return Value{}
}

// Unsafe op with two arguments.
func NewAt(typ Type, p unsafe.Pointer) Value { return Value{} }

// Method on Value: call target is the held function.
func (v Value) Call(in []Value) []Value {
	return nil
}

// Variadic, several names for one type, a name that is blank.
func Append(s Value, x ...Value) Value { return s }
func (v Value) SetIterKey(iter *MapIter) {}
func Copy(dst, src Value) int { return 0 }
func Select(_ []SelectCase, b bool) (int, Value, bool) { return 0, Value{}, b }

// By-name lookup on Value and on *rtype (named reflect.Type.*).
func (v Value) MethodByName(name string) Value { return v }
func (t *rtype) FieldByName(name string) (StructField, bool) {
	return StructField{}, false
}
func (t *rtype) Method(i int) (m Method) { return }

// Kinds of arguments: numbers, bool, Kind, func (opaque).
func (v Value) SetFloat(x float64) {}
func (v Value) SetUint(x uint64)  {}
func (v Value) SetBool(x bool)    {}
func MakeFunc(typ Type, fn func(args []Value) (results []Value)) Value {
	return Value{}
}
func (t *rtype) Read(k Kind) bool { return false }

// Generic: arguments may name type parameters, so none is passed.
func TypeFor[T any](x T) Type { return nil }

// Left out: inliner-critical, nosplit, no body, unexported, receiver of an
// unexported type. A receiver without a name is hooked but not described.
func (v Value) Kind() Kind { return 0 }

//go:nosplit
func Fast() {}

func Stub(x int) int

func helper() {}
func (t *structType) Field(i int) StructField { return StructField{} }
func (Value) SetZero() {}

// A comment with a { brace and a string with one: neither is touched.
var s = "func X() {"

func (v Value) String2() string { /* brace */ return "{" }
