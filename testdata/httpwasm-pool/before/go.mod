module example.com/httpwasmpool

go 1.24
