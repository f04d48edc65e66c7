module goinstr/helper

go 1.26
