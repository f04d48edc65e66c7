module isolate.test

go 1.26
