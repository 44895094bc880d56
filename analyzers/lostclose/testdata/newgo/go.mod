module newgo

go 1.23
