package asm

// Add is implemented in add_amd64.s.
func Add(a, b int64) int64
