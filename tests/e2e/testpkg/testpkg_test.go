package testpkg

import "testing"

func TestSet(t *testing.T) {
	var s S
	Set(&s, "N", 9)
	if s.N != 9 {
		t.Fatalf("N = %d, want 9", s.N)
	}
}
