// Command runner is the program `goinstr run --isolate` starts in the
// isolation tests: it says whether it could read $HOME/.ssh/id_secret and
// write GOCACHE (ISO_GOCACHE), performs a reflect operation (logged when
// instrumented) and exits with status 3.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
)

func main() {
	home, _ := os.UserHomeDir()
	_, err := os.ReadFile(filepath.Join(home, ".ssh", "id_secret"))
	fmt.Println("read home:", err == nil)
	err = os.WriteFile(filepath.Join(os.Getenv("ISO_GOCACHE"), "ff", "goinstr-escape-run"), []byte("escaped\n"), 0o600)
	fmt.Println("wrote gocache:", err == nil)
	var n int64
	reflect.ValueOf(&n).Elem().SetInt(3)
	os.Exit(int(n))
}
