package main

func main() {
	<-make(chan struct{})
}
