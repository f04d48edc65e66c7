module goinstr.test/logloop

go 1.26
