// Command listen is the isolation tests' witness of network attempts: it
// accepts TCP connections on 127.0.0.1, prints its address, then one line
// per connection, and closes each at once.
package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(l.Addr())
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		fmt.Println("connection")
		c.Close()
	}
}
