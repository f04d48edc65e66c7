// Command sqlite is bench/scale.sh's large-dependency case: a program on
// modernc.org/sqlite, the cgo-free SQLite many Go services pick (a C
// library transpiled to Go: about 46,000 unsafe sites, single files of
// 4 to 5 MB). Its workload inserts N rows in one transaction, then runs
// aggregate, LIKE and GROUP BY queries; it prints what they found, so a
// build that broke the library cannot pass for a fast one.
package main

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"

	_ "modernc.org/sqlite"
)

func main() {
	n := 20000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	db, err := sql.Open("sqlite", ":memory:")
	check(err)
	defer db.Close()
	_, err = db.Exec("create table t (id integer primary key, name text, v real)")
	check(err)
	tx, err := db.Begin()
	check(err)
	st, err := tx.Prepare("insert into t (name, v) values (?, ?)")
	check(err)
	for i := 0; i < n; i++ {
		_, err = st.Exec("name"+strconv.Itoa(i%97), float64(i)*0.5)
		check(err)
	}
	check(tx.Commit())
	var cnt int
	var sum float64
	for k := 0; k < 10; k++ {
		check(db.QueryRow("select count(*), sum(v) from t where name like ?", "name1%").Scan(&cnt, &sum))
	}
	rows, err := db.Query("select name, count(*) from t group by name order by name")
	check(err)
	groups := 0
	for rows.Next() {
		var s string
		var c int
		check(rows.Scan(&s, &c))
		groups++
	}
	fmt.Println(cnt, sum, groups)
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
