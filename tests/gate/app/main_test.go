package main

import "testing"

func TestBits(t *testing.T) {
	if bits(1) != 0x3ff0000000000000 {
		t.Fatal("bits")
	}
}
