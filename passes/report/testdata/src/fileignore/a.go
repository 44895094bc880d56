//lint:file-ignore bad this file is a fixture

package fileignore

func bad() {}

func f() {
	bad()
	bad()
}
