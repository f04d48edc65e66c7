// Command gated is the static gate's sample: one unsafe site its tests
// run (bits), and paths they never run (rare), where tests/gate.sh adds
// sites.
package main

import (
	"fmt"
	"os"
	"unsafe"
)

func bits(f float64) uint64 { return *(*uint64)(unsafe.Pointer(&f)) }

func main() {
	fmt.Println(bits(1))
	if len(os.Args) > 1 {
		fmt.Println(rare())
	}
}
