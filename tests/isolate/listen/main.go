// Command listen is the isolation tests' witness of connection attempts:
// it accepts TCP connections on 127.0.0.1 and, given a path, Unix socket
// connections there too (where an ssh-agent or D-Bus listens); prints its
// TCP address, then one line per connection, and closes each at once.
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
	if len(os.Args) > 1 {
		u, err := net.Listen("unix", os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		go accept(u, "unix connection")
	}
	fmt.Println(l.Addr())
	accept(l, "connection")
}

func accept(l net.Listener, what string) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		fmt.Println(what)
		c.Close()
	}
}
