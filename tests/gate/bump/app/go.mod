module example.com/bumped

go 1.26

require example.com/plug v1.0.0

replace example.com/plug => ../plug1
