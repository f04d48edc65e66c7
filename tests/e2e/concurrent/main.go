// Command concurrent runs the same reflect sites from 64 goroutines, on
// several targets: each (op, caller, target) must be logged once per
// process, and lines of concurrent processes must never tear.
package main

import (
	"fmt"
	"reflect"
	"sync"
)

type A struct{ X, Y int }
type B struct{ X, Y string }

func work(g int) int {
	a := reflect.ValueOf(&A{}).Elem()
	b := reflect.ValueOf(&B{}).Elem()
	a.FieldByName("X").SetInt(int64(g)) // want: reflect.Value.FieldByName main.A.X; reflect.Value.SetInt int
	b.FieldByName("X").SetString("x")   // want: reflect.Value.FieldByName main.B.X; reflect.Value.SetString string
	for _, name := range []string{"X", "Y"} {
		a.FieldByName(name) // want: reflect.Value.FieldByName main.A.X; reflect.Value.FieldByName main.A.Y
	}
	s := reflect.MakeSlice(reflect.TypeOf([]int{}), 0, g) // want: reflect.MakeSlice []int
	s = reflect.Append(s, reflect.ValueOf(g))             // want: reflect.Append []int
	return s.Len()
}

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for i := 0; i < 200; i++ {
				n += work(g)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("total:", total)
}
