package broken

import "io"

func Broken() *io.PipeWriter {
	return undefinedThing()
}

func alsoBroken() int { return "not an int" }
