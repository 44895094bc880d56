module example.com/rancher49592

go 1.24
