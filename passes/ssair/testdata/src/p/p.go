package p

import "os"

func F() func() int {
	return func() int { return len(os.Args) }
}

func G[T any](x T) T { return x }

func init() { _ = G[int](1) }

var V = func() int { return 2 }()
