package r

func bad(args ...int) int { return 0 }

func f() {
	bad() // want `call of bad`

	//lint:ignore bad the next statement is fine
	bad()

	bad() //lint:ignore bad on the same line

	//lint:ignore bad a directive covers the whole statement it precedes
	x := []int{
		1,
		bad(),
	}
	_ = x

	//lint:ignore other,bad,third one of several checks
	bad()

	//lint:ignore * every check
	bad()

	//lint:ignore other names another check
	bad() // want `call of bad`

	/* want `//lint:ignore directive needs a reason` */ //lint:ignore bad
	bad() // want `call of bad`

	//lint:ignore bad stale: nothing to suppress // want `this //lint:ignore directive suppresses no bad finding; remove bad from it`
	good()

	// A directive only reaches the statement after it.
	//lint:ignore bad just this one
	bad()
	bad() // want `call of bad`
}

func good() {}
