// Benchmarks of wrapped unsafe sites: a tight loop of pointer casts, an
// FNV-style hash over raw memory, a json-iterator-style decoder whose
// codecs store through casts of an unsafe.Pointer parameter, and decoding
// with github.com/json-iterator/go, whose fast paths (through
// github.com/modern-go/reflect2) are unsafe pointer arithmetic.
package unsafebench

import (
	"testing"
	"unsafe"

	jsoniter "github.com/json-iterator/go"
)

var words [64]uint64

// sink keeps the benchmarks' results alive: the compiler may drop a pure
// loop whose result nothing uses.
var sink uint64

// sumCast reads every word through a pointer cast: one wrapped site per
// iteration.
func sumCast(n int) uint64 {
	var s uint64
	for i := 0; i < n; i++ {
		s += *(*uint64)(unsafe.Pointer(&words[i&63]))
	}
	return s
}

func BenchmarkCast(b *testing.B) {
	for i := range words {
		words[i] = uint64(i)
	}
	if got := sumCast(64); got != 64*63/2 {
		b.Fatalf("sum = %d", got)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sumCast(1)
	}
}

// fnv hashes n words at p, FNV-style: one unsafe.Add and one cast per
// word, the hot loop of a hash over raw memory.
func fnv(p unsafe.Pointer, n int) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < n; i++ {
		h ^= *(*uint64)(unsafe.Add(p, i*8))
		h *= 1099511628211
	}
	return h
}

func BenchmarkHash(b *testing.B) {
	for i := range words {
		words[i] = uint64(i)
	}
	p := unsafe.Pointer(&words[0])
	if h := fnv(p, 1); h != 14695981039346656037*1099511628211%(1<<64) {
		b.Fatalf("fnv = %d", h)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink += fnv(p, 64)
	}
}

// A json-iterator-style decoder: each field's codec gets the field's
// address as an unsafe.Pointer parameter and stores through a cast, as
// json-iterator's and goccy/go-json's do.
type decoder interface {
	decode(ptr unsafe.Pointer, v *value)
}

type value struct {
	s string
	n int64
	f float64
}

type stringCodec struct{}
type intCodec struct{}
type floatCodec struct{}

func (stringCodec) decode(ptr unsafe.Pointer, v *value) { *(*string)(ptr) = v.s }
func (intCodec) decode(ptr unsafe.Pointer, v *value)    { *(*int64)(ptr) = v.n }
func (floatCodec) decode(ptr unsafe.Pointer, v *value)  { *(*float64)(ptr) = v.f }

type field struct {
	off uintptr
	dec decoder
}

type record struct {
	Name  string
	Count int64
	Ratio float64
	Tag   string
}

var fields = []field{
	{unsafe.Offsetof(record{}.Name), stringCodec{}},
	{unsafe.Offsetof(record{}.Count), intCodec{}},
	{unsafe.Offsetof(record{}.Ratio), floatCodec{}},
	{unsafe.Offsetof(record{}.Tag), stringCodec{}},
}

func decodeRecord(r *record, v *value) {
	base := unsafe.Pointer(r)
	for i := range fields {
		fields[i].dec.decode(unsafe.Add(base, fields[i].off), v)
	}
}

func BenchmarkCodec(b *testing.B) {
	v := &value{s: "ada", n: 7, f: 0.5}
	var r record
	decodeRecord(&r, v)
	if r.Name != "ada" || r.Count != 7 || r.Ratio != 0.5 || r.Tag != "ada" {
		b.Fatalf("decode: %+v", r)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		decodeRecord(&r, v)
	}
}

type item struct {
	SKU   string  `json:"sku"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

type order struct {
	ID       int64             `json:"id"`
	Customer string            `json:"customer"`
	Items    []item            `json:"items"`
	Tags     map[string]string `json:"tags"`
	Paid     bool              `json:"paid"`
}

var doc = []byte(`{"id":42,"customer":"ada","items":[{"sku":"a-1","qty":2,"price":3.5},` +
	`{"sku":"b-2","qty":1,"price":10},{"sku":"c-3","qty":7,"price":0.25}],` +
	`"tags":{"tier":"gold","region":"eu"},"paid":true}`)

func BenchmarkJsoniterDecode(b *testing.B) {
	api := jsoniter.ConfigCompatibleWithStandardLibrary
	var o order
	if err := api.Unmarshal(doc, &o); err != nil || o.Items[2].Qty != 7 || o.Tags["region"] != "eu" {
		b.Fatalf("decode: %v %+v", err, o)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var o order
		if err := api.Unmarshal(doc, &o); err != nil {
			b.Fatal(err)
		}
	}
}
