// Command bumped runs its plug-in's handlers, which the plug-in calls by
// name through reflect: tests/gate.sh bumps the plug-in (plug1 to plug2)
// and the run-time diff names the method its call site newly reaches.
package main

import (
	"fmt"

	"example.com/plug"
)

func main() {
	for _, out := range plug.Run(plug.Handlers{}) {
		fmt.Println(out)
	}
}
