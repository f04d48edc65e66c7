// Package escape tries what a sandboxed build must not do: its tests
// pass outside goinstr's --isolate sandbox and fail inside it.
package escape

import (
	"net"
	"os"
	"reflect"
	"testing"
)

// TestNetwork connects to ISO_ADDR (a listener outside the sandbox).
func TestNetwork(t *testing.T) {
	c, err := net.Dial("tcp", os.Getenv("ISO_ADDR"))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestWrite writes the file ISO_FILE.
func TestWrite(t *testing.T) {
	if err := os.WriteFile(os.Getenv("ISO_FILE"), []byte("escaped\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestLog performs a reflect operation, which an instrumented test logs.
func TestLog(t *testing.T) {
	var n int64
	reflect.ValueOf(&n).Elem().SetInt(1)
	if n != 1 {
		t.Fatal(n)
	}
}
