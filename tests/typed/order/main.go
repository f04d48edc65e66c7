// Command order runs the statement shapes where gc reads an operand after
// the statement's calls (issue reproductions): built plain and by goinstr
// its output must be the same, byte for byte.
package main

import (
	"fmt"
	"unsafe"
)

var buf []byte

func body() uint64 {
	buf = append(buf, make([]byte, 16)...)
	return uint64(len(buf))
}

var x, y int64 = 1, 2
var p = &x

func g() int64 { p = &y; return 10 }

// which names the variable a pointer points to.
func which(q unsafe.Pointer) string {
	switch q {
	case unsafe.Pointer(&x):
		return "x"
	case unsafe.Pointer(&y):
		return "y"
	}
	return "?"
}

func reset() { p = &x }

func main() {
	// A length-prefix encoder: the header goes where buf is after body().
	buf = make([]byte, 8)
	*(*uint64)(unsafe.Pointer(&buf[0])) = body()
	fmt.Println("len field:", buf[0])

	// buf empty until body appends: plain does not panic.
	buf = nil
	func() {
		defer func() { fmt.Println("recovered:", recover() != nil) }()
		*(*uint64)(unsafe.Pointer(&buf[0])) = body()
		fmt.Println("len field (empty):", buf[0])
	}()

	reset()
	s := uintptr(unsafe.Pointer(p)) + uintptr(g())
	fmt.Println("sum:", s-uintptr(unsafe.Pointer(&y)))

	reset()
	u1, u2 := unsafe.Pointer(p), g()
	fmt.Println("multi:", which(u1), u2)

	reset()
	l := []uintptr{uintptr(unsafe.Pointer(p)), uintptr(g())}
	fmt.Println("literal:", which(unsafe.Pointer(l[0])), l[1])

	reset()
	m := map[unsafe.Pointer]int64{}
	m[unsafe.Pointer(p)] = g()
	for k, v := range m {
		fmt.Println("map:", which(k), v)
	}

	reset()
	fmt.Println("args:", which(unsafe.Pointer(p)), g(), *(*int64)(unsafe.Pointer(p)))

	reset()
	func() {
		defer func(a string, b int64) { fmt.Println("defer:", a, b) }(which(unsafe.Pointer(p)), g())
	}()

	reset()
	r := func() int64 { return *(*int64)(unsafe.Pointer(p)) + g() }()
	fmt.Println("return:", r)

	reset()
	for i, v := range []int64{*(*int64)(unsafe.Pointer(p)), g(), *(*int64)(unsafe.Pointer(p))} {
		fmt.Println("range:", i, v)
	}

	reset()
	ch := make(chan int64, 1)
	select {
	case ch <- *(*int64)(unsafe.Pointer(p)) + g():
		fmt.Println("select:", <-ch)
	}

	reset()
	if *(*int64)(unsafe.Pointer(p)) == 1 && g() == 10 && *(*int64)(unsafe.Pointer(p)) == 2 {
		fmt.Println("and: both reads in order")
	}

	reset()
	done := make(chan bool)
	go func(a string, b int64) { fmt.Println("go:", a, b); done <- true }(which(unsafe.Pointer(p)), g())
	<-done
}
