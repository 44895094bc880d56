module example.com/haproxydeadline

go 1.24
