package fileignore

func g() {
	bad() // want `call of bad`
}
