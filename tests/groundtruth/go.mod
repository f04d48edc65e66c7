module goinstr.test/groundtruth

go 1.26
