module example.com/remotedialerpipe

go 1.24
