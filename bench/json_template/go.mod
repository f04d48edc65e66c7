module goinstr.bench/jt

go 1.26
