module goinstr.test/golden

go 1.26

require goinstr.test/gdep v0.0.0

replace goinstr.test/gdep => ./gdep
