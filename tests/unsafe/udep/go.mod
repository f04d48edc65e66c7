module example.com/udep

go 1.17
