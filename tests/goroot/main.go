// Command goroot prints what a program can see of the Go installation
// that built and runs it, one "obs" line each: runtime.GOROOT(), the
// GOROOT, GOTOOLCHAIN and first PATH entry of its environment, the file
// and line of every frame of a stack trace taken in a panic inside
// package reflect (the standard library goinstr rewrites) and of a
// dependency's function from the module cache, and what a go command it
// runs says of GOROOT and GOVERSION. tests/goroot.sh compares the lines
// of a plain build with those of goinstr's (build, run and test).
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/sys/unix"
)

func env(w io.Writer, name string) {
	if v, ok := os.LookupEnv(name); ok {
		fmt.Fprintf(w, "obs env %s=%s\n", name, v)
	} else {
		fmt.Fprintf(w, "obs env %s unset\n", name)
	}
}

// frames prints the file:line of each frame of a stack trace taken
// while a panic raised inside reflect unwinds.
func frames(w io.Writer) {
	defer func() {
		if recover() == nil {
			fmt.Fprintln(w, "obs no panic")
			return
		}
		for _, l := range strings.Split(string(debug.Stack()), "\n") {
			if strings.HasPrefix(l, "\t") {
				fmt.Fprintf(w, "obs frame %s\n", strings.Fields(l)[0])
			}
		}
	}()
	reflect.ValueOf(0).SetInt(1) // unaddressable: reflect panics
}

func report(w io.Writer) {
	fmt.Fprintf(w, "obs runtime.GOROOT()=%s\n", runtime.GOROOT())
	env(w, "GOROOT")
	env(w, "GOTOOLCHAIN")
	fmt.Fprintf(w, "obs env PATH[0]=%s\n", strings.SplitN(os.Getenv("PATH"), ":", 2)[0])
	frames(w)
	pc := reflect.ValueOf(unix.Getpid).Pointer()
	file, _ := runtime.FuncForPC(pc).FileLine(pc)
	fmt.Fprintf(w, "obs dependency %s\n", file)
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	fmt.Fprintf(w, "obs go env GOROOT GOVERSION: %q %v\n", out, err)
}

func main() { report(os.Stdout) }
