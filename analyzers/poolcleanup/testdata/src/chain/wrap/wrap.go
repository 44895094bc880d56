// Package wrap is a middleware that pools its per-query writer wrappers
// around the chain's writer: the wrapper borrows the writer, it owns
// nothing the pool could drop.
package wrap

import (
	"sync"

	"chain/mw"
)

type countingWriter struct {
	mw.Writer
	n int
}

func (w *countingWriter) Write(b []byte) (int, error) {
	w.n += len(b)
	return w.Writer.Write(b)
}

var wrappers = sync.Pool{New: func() any { return &countingWriter{} }}

// Counter counts the bytes a query writes.
type Counter struct {
	total int
	pool  sync.Pool
}

func (c *Counter) Serve(ch *mw.Chain) {
	w := ch.Writer
	cw := wrappers.Get().(*countingWriter)
	cw.Writer = w
	ch.Writer = cw
	defer func() {
		ch.Writer = w
		c.total += cw.n
		*cw = countingWriter{}
		wrappers.Put(cw)
	}()
	ch.Next()
}

type tagWriter struct {
	mw.Writer
	tag string
}

// Tagger keeps its wrappers in a pool of its own.
type Tagger struct {
	pool sync.Pool
}

func NewTagger() *Tagger {
	t := &Tagger{}
	t.pool.New = func() any { return new(tagWriter) }
	return t
}

func (t *Tagger) Serve(ch *mw.Chain) {
	orig := ch.Writer
	tw := t.pool.Get().(*tagWriter)
	tw.Writer = orig
	tw.tag = "x"
	ch.Writer = tw
	ch.Next()
	ch.Writer = orig
	tw.Writer = nil
	t.pool.Put(tw)
}

// Still reported: a pooled wrapper around a transport the middleware
// opens itself.
type ownWriter struct {
	mw.Writer
}

var owned sync.Pool

func Own(ch *mw.Chain, open func() mw.Writer) {
	ow := &ownWriter{} // want `\*ownWriter created here is put in a sync.Pool at line \d+, but it \(\*ownWriter\) must be released`
	ow.Writer = open()
	ch.Writer = ow
	ch.Next()
	owned.Put(ow)
}
