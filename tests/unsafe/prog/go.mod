module example.com/uprog

go 1.26.0

require (
	example.com/udep v0.0.0
	golang.org/x/sys v0.50.0
)

replace example.com/udep => ../udep
