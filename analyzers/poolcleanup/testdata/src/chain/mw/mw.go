// Package mw is a per-query middleware chain: the server lends each query a
// writer, the chain is pooled, and middleware wrap the writer for the
// length of their call.
package mw

import (
	"net"
	"sync"
)

// Transport is what the server lends a query: it can Close.
type Transport interface {
	Write(b []byte) (int, error)
	RemoteAddr() net.Addr
	Close() error
}

// Writer is the chain's writer interface.
type Writer interface {
	Transport
	Written() bool
}

type baseWriter struct {
	Transport
	written bool
}

func (w *baseWriter) Written() bool { return w.written }

// Handler is a middleware.
type Handler interface {
	Serve(ch *Chain)
}

// Chain is pooled per query; its Writer points at its own base writer or
// at a middleware's wrapper around it.
type Chain struct {
	Writer   Writer
	base     baseWriter
	handlers []Handler
	pos      int
}

func (ch *Chain) bind(hs []Handler) {
	ch.Writer = &ch.base
	ch.handlers = hs
}

// Reset points the chain at the next query's transport.
func (ch *Chain) Reset(t Transport) {
	ch.base.Transport = t
	ch.Writer = &ch.base
	ch.pos = 0
}

// Next runs the next handler.
func (ch *Chain) Next() {
	if ch.pos < len(ch.handlers) {
		h := ch.handlers[ch.pos]
		ch.pos++
		h.Serve(ch)
	}
}

// Pipeline pools chains.
type Pipeline struct {
	handlers []Handler
	pool     sync.Pool
}

// NewPipeline builds a pipeline.
func NewPipeline(hs []Handler) *Pipeline {
	p := &Pipeline{handlers: hs}
	p.pool.New = func() any {
		ch := new(Chain)
		ch.bind(p.handlers)
		return ch
	}
	return p
}

// ServeQuery is called by the server for each query, with a transport it
// closes itself.
func (p *Pipeline) ServeQuery(t Transport) {
	ch := p.pool.Get().(*Chain)
	ch.Reset(t)
	ch.Next()
	ch.base.Transport = nil
	p.pool.Put(ch)
}

// Wrapped restores a writer that a middleware replaced.
type restore struct {
	Writer
	ch *Chain
}

// Swap wraps the chain's writer for one call.
func Swap(ch *Chain) {
	w := ch.Writer
	ch.Writer = &restore{Writer: w, ch: ch}
	defer func() { ch.Writer = w }()
	ch.Next()
}

// Rebind is what another package's server calls for each query: the chain
// keeps the transport in its own base writer, through helpers, and never
// closes it (the server does).
func (ch *Chain) Rebind(t Transport) {
	ch.rebind(t)
}

func (ch *Chain) rebind(t Transport) {
	b := &ch.base
	b.reset(t)
	ch.Writer = b
}

func (b *baseWriter) reset(t Transport) {
	b.Transport = t
	b.written = false
}
