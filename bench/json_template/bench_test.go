// Package jt holds two reflect-heavy benchmarks from the standard library,
// encoding/json and text/template, used by bench/run.sh to compare a plain
// test binary with one built by 'goinstr test'.
package jt

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
	"text/template"
)

type Address struct {
	Street  string `json:"street"`
	City    string `json:"city"`
	Country string `json:"country"`
	Zip     string `json:"zip"`
}

type Item struct {
	SKU      string  `json:"sku"`
	Name     string  `json:"name"`
	Quantity int     `json:"quantity"`
	Price    float64 `json:"price"`
	Gift     bool    `json:"gift"`
}

type Order struct {
	ID        int64             `json:"id"`
	Customer  string            `json:"customer"`
	Email     string            `json:"email"`
	Paid      bool              `json:"paid"`
	Express   bool              `json:"express"`
	Discount  float64           `json:"discount"`
	Shipping  Address           `json:"shipping"`
	Billing   Address           `json:"billing"`
	Items     []Item            `json:"items"`
	Tags      map[string]string `json:"tags"`
	Note      string            `json:"note,omitempty"`
	CreatedAt string            `json:"created_at"`
}

// Total is called from the template as a method.
func (o Order) Total() float64 {
	t := 0.0
	for _, it := range o.Items {
		t += float64(it.Quantity) * it.Price
	}
	return t * (1 - o.Discount)
}

// Subtotal is called from the template on each item.
func (it Item) Subtotal() float64 { return float64(it.Quantity) * it.Price }

func sampleOrder() Order {
	return Order{
		ID:       1048576,
		Customer: "Ada Lovelace",
		Email:    "ada@example.com",
		Paid:     true,
		Express:  false,
		Discount: 0.15,
		Shipping: Address{Street: "12 Analytical Engine Row", City: "London", Country: "GB", Zip: "W1 4AA"},
		Billing:  Address{Street: "1 Difference Lane", City: "Cambridge", Country: "GB", Zip: "CB2 1TN"},
		Items: []Item{
			{SKU: "BK-0001", Name: "Notes on the Analytical Engine", Quantity: 2, Price: 24.50, Gift: false},
			{SKU: "PN-1843", Name: "Brass fountain pen", Quantity: 1, Price: 89.99, Gift: true},
			{SKU: "CD-0042", Name: "Punched cards, pack of 500", Quantity: 4, Price: 12.75, Gift: false},
			{SKU: "LM-0007", Name: "Oil lamp with glass chimney", Quantity: 1, Price: 45.00, Gift: true},
			{SKU: "GR-1815", Name: "Set of bronze gears", Quantity: 3, Price: 17.20, Gift: false},
		},
		Tags: map[string]string{
			"channel":  "web",
			"campaign": "spring-sale",
			"region":   "emea",
			"priority": "normal",
			"source":   "newsletter",
		},
		Note:      "Please leave the parcel with the porter if nobody answers.",
		CreatedAt: "2026-03-14T09:26:53Z",
	}
}

// equalOrder is a plain field-by-field comparison, so the check itself does
// not go through reflect.
func equalOrder(a, b Order) bool {
	if a.ID != b.ID || a.Customer != b.Customer || a.Email != b.Email ||
		a.Paid != b.Paid || a.Express != b.Express || a.Discount != b.Discount ||
		a.Shipping != b.Shipping || a.Billing != b.Billing ||
		a.Note != b.Note || a.CreatedAt != b.CreatedAt ||
		len(a.Items) != len(b.Items) || len(a.Tags) != len(b.Tags) {
		return false
	}
	for i := range a.Items {
		if a.Items[i] != b.Items[i] {
			return false
		}
	}
	for k, v := range a.Tags {
		if w, ok := b.Tags[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func BenchmarkJSON(b *testing.B) {
	in := sampleOrder()
	data, err := json.Marshal(in)
	if err != nil {
		b.Fatal(err)
	}
	var out Order
	if err := json.Unmarshal(data, &out); err != nil {
		b.Fatal(err)
	}
	if !equalOrder(in, out) {
		b.Fatalf("round trip differs:\n in: %+v\nout: %+v", in, out)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		data, err := json.Marshal(in)
		if err != nil {
			b.Fatal(err)
		}
		var out Order
		if err := json.Unmarshal(data, &out); err != nil {
			b.Fatal(err)
		}
	}
}

const orderTemplate = `Order #{{.ID}} for {{.Customer | printf "%q"}} <{{.Email}}>
{{if .Paid}}Status: paid{{else}}Status: awaiting payment{{end}}{{if .Express}} (express){{end}}
Ship to: {{.Shipping.Street}}, {{.Shipping.Zip}} {{.Shipping.City}}, {{.Shipping.Country}}
{{- if ne .Billing.City .Shipping.City}}
Bill to: {{.Billing.Street}}, {{.Billing.Zip}} {{.Billing.City}}, {{.Billing.Country}}
{{- end}}
Items ({{len .Items}}):
{{range $i, $it := .Items}}  {{$i}}. {{$it.SKU}} {{$it.Name | upper}} x{{$it.Quantity}} @ {{printf "%.2f" $it.Price}} = {{$it.Subtotal | printf "%.2f"}}{{if $it.Gift}} [gift]{{end}}
{{end -}}
Tags:{{range $k, $v := .Tags}} {{$k}}={{$v}}{{end}}
{{with .Note}}Note: {{.}}
{{end -}}
Total: {{printf "%.2f" .Total}}{{if gt .Discount 0.0}} (discount {{.Discount}}){{end}}
`

func BenchmarkTemplate(b *testing.B) {
	tmpl := template.Must(template.New("order").
		Funcs(template.FuncMap{"upper": strings.ToUpper}).
		Parse(orderTemplate))
	in := sampleOrder()
	var sb strings.Builder
	if err := tmpl.Execute(&sb, in); err != nil {
		b.Fatal(err)
	}
	if out := sb.String(); out == "" || !strings.Contains(out, "BRASS FOUNTAIN PEN") ||
		!strings.Contains(out, "Total: ") {
		b.Fatalf("unexpected template output:\n%s", out)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := tmpl.Execute(io.Discard, in); err != nil {
			b.Fatal(err)
		}
	}
}
