module example.com/remotedialerorphan

go 1.24
