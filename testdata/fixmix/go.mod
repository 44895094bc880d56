module example.com/fixmix

go 1.24
