module goinstr.test/e2e

go 1.26
