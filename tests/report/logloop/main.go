// Command logloop logs new reflect operations over time, step by step,
// for the rotation test of tests/report.sh: `logloop CTL ACK` reads from
// file CTL how many steps the test wants done, does the missing ones and
// writes the number done to file ACK, and polls again until CTL holds a
// negative number. Step k makes the type [k]uint8 (reflect.ArrayOf) and a
// value of it (reflect.New): two events no earlier step logged.
package main

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctl, ack := os.Args[1], os.Args[2]
	elem := reflect.TypeOf(uint8(0))
	done := 0
	for {
		b, _ := os.ReadFile(ctl)
		want, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err == nil && want < 0 {
			return
		}
		for err == nil && done < want {
			done++
			_ = reflect.New(reflect.ArrayOf(done, elem))
			if os.WriteFile(ack+".tmp", []byte(strconv.Itoa(done)), 0o600) != nil ||
				os.Rename(ack+".tmp", ack) != nil {
				os.Exit(1)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}
