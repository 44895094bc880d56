module oldgo

go 1.21
