package a

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"sync"

	"wasmapi"
)

// encoder runs a goroutine until closed: a resource.
type encoder struct {
	work chan []byte
	done chan struct{}
}

func newEncoder() *encoder {
	e := &encoder{work: make(chan []byte), done: make(chan struct{})}
	go e.loop()
	return e
}

func (e *encoder) loop() {
	for range e.work {
	}
	close(e.done)
}

func (e *encoder) Close() error {
	close(e.work)
	<-e.done
	return nil
}

// noop has a Close that does nothing: not a resource.
type noop struct{ buf bytes.Buffer }

func (noop) Close() error { return nil }

// flagged only sets a flag in Close: not a resource.
type flagged struct{ closed bool }

func (f *flagged) Close() error {
	f.closed = true
	return nil
}

// A pool whose New creates encoders.
var encPool = sync.Pool{
	New: func() any {
		return newEncoder() // want `\*encoder created here is created by the sync.Pool's New function, but it \(\*encoder\) must be released`
	},
}

// A pool whose New attaches a cleanup: accepted.
var cleanPool = sync.Pool{
	New: func() any {
		e := newEncoder()
		w := &struct{ e *encoder }{e}
		runtime.AddCleanup(w, func(e *encoder) { e.Close() }, e)
		return w
	},
}

// Buffers, no-op closers and flag-setting closers are what pools are for.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
var noopPool = sync.Pool{New: func() any { return &noop{} }}
var flagPool = sync.Pool{New: func() any { return &flagged{} }}
var nopPool = sync.Pool{New: func() any { return io.NopCloser(nil) }}

type wrapper struct {
	enc *encoder
	n   int
}

// Finalizer on only one of two creation paths.
func putEither(p *sync.Pool, fast bool) {
	if fast {
		w := &wrapper{enc: newEncoder()} // want `\*wrapper created here is put in a sync.Pool at line 82, but its field enc \(\*encoder\) must be released`
		p.Put(w)
		return
	}
	w := &wrapper{enc: newEncoder()}
	runtime.SetFinalizer(w, func(w *wrapper) { w.enc.Close() })
	p.Put(w)
}

// Put through a method value kept in a variable.
func putViaValue(p *sync.Pool) {
	put := p.Put
	w := &wrapper{enc: newEncoder()} // want `put in a sync.Pool \(through its Put method value\) at line 94`
	put(w)
}

// AddCleanup on the wrapper, releasing the field: accepted.
func putWithCleanup(p *sync.Pool) {
	w := &wrapper{enc: newEncoder()}
	runtime.AddCleanup(w, func(e *encoder) { e.Close() }, w.enc)
	p.Put(w)
}

// A finalizer that captures the object keeps it reachable: it never runs.
func putCapturing(p *sync.Pool) {
	w := &wrapper{enc: newEncoder()} // want `a finalizer is attached, but the finalizer function at line 107 captures the object itself`
	runtime.SetFinalizer(w, func(*wrapper) { w.enc.Close() })
	p.Put(w)
}

// A cleanup whose argument is the object itself never runs.
func putCleanupSelf(p *sync.Pool) {
	w := &wrapper{enc: newEncoder()} // want `the cleanup at line 114 gets the object itself as its argument`
	runtime.AddCleanup(w, func(w *wrapper) { w.enc.Close() }, w)
	p.Put(w)
}

type pump struct {
	enc  *encoder
	tick chan int
}

func (p *pump) run() {
	for range p.tick {
	}
}

// A goroutine holding a method value of the object keeps it reachable.
func putWithGoroutine(pool *sync.Pool) {
	p := &pump{enc: newEncoder(), tick: make(chan int)} // want `the goroutine started at line 131 holds the object`
	go p.run()
	runtime.SetFinalizer(p, func(p *pump) { p.enc.Close() })
	pool.Put(p)
}

// A value that comes from the pool went through the check where it entered.
func roundTrip(p *sync.Pool) {
	w := p.Get().(*wrapper)
	w.n++
	p.Put(w)
}

// The package clears the field before the value goes back: the pooled value
// no longer owns the resource.
type conn struct {
	mod wasmapi.Module
	id  int
}

func (c *conn) reset() { c.mod = nil }

func putCleared(p *sync.Pool, rt wasmapi.Runtime) {
	mod, _ := rt.InstantiateModule(context.Background(), "x")
	c := &conn{mod: mod}
	c.reset()
	p.Put(c)
}

// Suppressed with a reason.
func putIgnored(p *sync.Pool) {
	//lint:ignore poolcleanup the pool is emptied and closed explicitly at shutdown
	w := &wrapper{enc: newEncoder()}
	p.Put(w)
}
