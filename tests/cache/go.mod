module cache.test

go 1.26
