// Benchmarks of wrapped unsafe sites: a tight loop of pointer casts, and
// decoding with github.com/json-iterator/go, whose fast paths (through
// github.com/modern-go/reflect2) are unsafe pointer arithmetic.
package unsafebench

import (
	"testing"
	"unsafe"

	jsoniter "github.com/json-iterator/go"
)

var words [64]uint64

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
