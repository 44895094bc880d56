package main

func main() { // want `once`
	for i := 0; i < 3; i++ {
		func() {}() // want `once`
	}
}

func notMain() {} // want `unknown`
