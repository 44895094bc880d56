module example.com/depsite/lib

go 1.24
