// Command fdlimit measures what the log costs a program near its limit of
// open descriptors (RLIMIT_NOFILE): it opens /dev/null until the system
// refuses (EMFILE) and prints how many it got, after a reflect operation
// (the logger holds the log open from its first event) or before one
// ("before": the program takes every descriptor first, so the logger's
// own open fails, and logging stops without a word).
package main

import (
	"fmt"
	"os"
	"reflect"
	"syscall"
)

func main() {
	before := len(os.Args) > 1 && os.Args[1] == "before"
	x := 0
	v := reflect.ValueOf(&x).Elem()
	if !before {
		v.SetInt(1)
	}
	n := 0
	var err error
	for {
		// syscall.Open, not os.Open: no descriptor of the runtime's poller.
		if _, err = syscall.Open("/dev/null", syscall.O_RDONLY|syscall.O_CLOEXEC, 0); err != nil {
			break
		}
		n++
	}
	if before {
		v.SetInt(2)
	}
	fmt.Println(n, err, x)
}
