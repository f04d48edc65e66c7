module goinstr.test/gdep

go 1.26
