// Command manynames looks up N distinct names (its argument), the way a
// server looks up names its clients send, then prints its peak resident
// set size in KiB (VmHWM): the logger must keep and write a bounded
// amount whatever N.
package main

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
)

type T struct{ A int }

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	v := reflect.ValueOf(T{})
	found := 0
	buf := []byte("client-supplied-name-")
	for i := 0; i < n; i++ {
		name := strconv.AppendInt(buf, int64(i), 10)
		if v.FieldByName(string(name)).IsValid() {
			found++
		}
	}
	fmt.Println("found:", found)
	f, err := os.Open("/proc/self/status")
	if err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if kb, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			fmt.Println("hwm:", strings.TrimSuffix(strings.TrimSpace(kb), " kB"))
		}
	}
}
