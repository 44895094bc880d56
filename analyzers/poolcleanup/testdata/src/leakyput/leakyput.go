// Package leakyput pools the flushers of package a without releasing them
// first on every path: what the pool drops still runs its goroutine.
package leakyput

import (
	"a"
	"io"
	"sync"
)

// Released on one path to the pool and not on the other: a dropped one
// leaks its goroutine.
var halfReleased sync.Pool

func HalfReleased(dst io.Writer, done bool) {
	f, ok := halfReleased.Get().(*a.Flusher)
	if !ok {
		f = a.NewFlusher(dst) // want `\*a.flusher created here takes the place of a value from the sync.Pool's Get`
	}
	if done {
		f.Close()
	}
	halfReleased.Put(f)
}

// A Reset given a value is no release: the flusher keeps its goroutine.
var rearmed sync.Pool

func Rearmed(dst io.Writer) {
	f, ok := rearmed.Get().(*a.Flusher)
	if !ok {
		f = a.NewFlusher(dst) // want `\*a.flusher created here takes the place of a value from the sync.Pool's Get`
	}
	f.Reset(io.Discard)
	rearmed.Put(f)
}
