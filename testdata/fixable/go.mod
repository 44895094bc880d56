module example.com/fixable

go 1.24
