// Command uprog performs the unsafe operations of goinstr's acceptance
// test; each line says what must be logged for it.
package main

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"

	"example.com/udep"
	"example.com/uprog/internal/asm"
	"example.com/uprog/internal/cg"
	"example.com/uprog/internal/conv"
	"example.com/uprog/internal/dot"
	"example.com/uprog/internal/newexpr"
	"golang.org/x/sys/unix"
)

type pair struct{ A, B int64 }

var x int64 = 7
var p = unsafe.Pointer(&x) // want: unsafe.Pointer

const size = unsafe.Sizeof(pair{}) // a constant: never wrapped

var table [unsafe.Sizeof(x)]byte // a constant in a type

//go:nosplit
func raw(q *pair) *int64 {
	return (*int64)(unsafe.Pointer(q)) // inside a nosplit function: left alone
}

var order []string

func next(s string, v *pair) *pair {
	order = append(order, s)
	return v
}

func main() {
	v := pair{1, 2}
	w := (*[2]int64)(unsafe.Pointer(&v)) // want: unsafe.Pointer *[2]int64; unsafe.Pointer
	fmt.Println("cast:", w[1])

	b := (*int64)(unsafe.Add(unsafe.Pointer(&v), 8)) // want: unsafe.Pointer *int64; unsafe.Add; unsafe.Pointer
	fmt.Println("add:", *b)

	// uintptr arithmetic stays in one expression with its conversion.
	c := (*int64)(unsafe.Pointer(uintptr(unsafe.Pointer(&v)) + unsafe.Offsetof(v.B))) // want: unsafe.Pointer *int64; unsafe.Pointer; unsafe.Pointer uintptr; unsafe.Pointer
	fmt.Println("arith:", *c, size, len(table))

	s := "hello, unsafe"
	bs := unsafe.Slice(unsafe.StringData(s), len(s))               // want: unsafe.Slice []byte; unsafe.StringData *byte
	fmt.Println("string:", unsafe.String(unsafe.SliceData(bs), 5)) // want: unsafe.String string; unsafe.SliceData *byte

	fmt.Println("package var:", *(*int64)(p), *raw(&v)) // want: unsafe.Pointer *int64

	// Operands are evaluated exactly once, in order.
	q := (*pair)(unsafe.Pointer(next("a", &v))) // want: unsafe.Pointer *main.pair; unsafe.Pointer
	r := (*pair)(unsafe.Pointer(next("b", q)))  // want: unsafe.Pointer *main.pair; unsafe.Pointer
	fmt.Println("order:", order, r.B)

	// A thousand times, one line.
	sum := int64(0)
	for i := 0; i < 1000; i++ {
		sum += *(*int64)(unsafe.Pointer(&v)) // want: unsafe.Pointer *int64; unsafe.Pointer
	}
	fmt.Println("sum:", sum)

	// The syscall keepalive form: uintptr(unsafe.Pointer(&buf[0])) as an argument.
	buf := []byte("syscall write\n")
	syscall.Syscall(syscall.SYS_WRITE, 1, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf))) // want: unsafe.Pointer uintptr; unsafe.Pointer

	fmt.Println("conv:", conv.Sum([]int32{1, 2, 3}), conv.Bytes("xyz"))
	fmt.Println("udep:", udep.Words(&[2]int{3, 4})[1], string(udep.Bytes(&buf[0], 7)))
	fmt.Println("cgo:", cg.Twice(21), cg.First([]byte("q")))
	fmt.Println("asm:", asm.Add(2, 3), asm.Addr(&v.A) != 0)
	fmt.Println("newexpr:", newexpr.Sum())
	fmt.Println("dot:", dot.Sum())

	var u unix.Utsname
	if err := unix.Uname(&u); err != nil { // want-dep: unsafe.Pointer golang.org/x/sys/unix
		fmt.Println("uname:", err)
	}
	fmt.Println("uname: ok", u.Sysname[0] != 0)
	exit(4)
}

// exit is os.Exit, but in main_test.go.
var exit = os.Exit
