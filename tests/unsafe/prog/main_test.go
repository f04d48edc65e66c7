package main

import "testing"

// TestRun runs the program, so that go test (with -cover, -coverpkg,
// -coverprofile) runs every unsafe site of it.
func TestRun(t *testing.T) {
	code := -1
	exit = func(c int) { code = c }
	main()
	if code != 4 {
		t.Fatalf("exit code %d, want 4", code)
	}
}
