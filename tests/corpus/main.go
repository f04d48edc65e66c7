// Command corpus links the modules of goinstr's unsafe ground truth
// (tests/corpus.sh): every unsafe operation of every package outside the
// standard library, counted by tests/gtcount, must be in goinstr's
// inventory. The quick corpus (./quick) is the same without
// modernc.org/sqlite.
package main

import (
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite"
)

func main() {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	var n int
	if err := db.QueryRow("select 1+1").Scan(&n); err != nil {
		panic(err)
	}
	fmt.Println("sqlite:", n)
}
