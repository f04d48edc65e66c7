module goinstr.test/gtcount

go 1.26
