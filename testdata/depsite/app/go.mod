module example.com/depsite/app

go 1.24

require example.com/depsite/lib v0.1.0

replace example.com/depsite/lib v0.1.0 => ../lib
