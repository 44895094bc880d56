package a

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"zdec"
)

// The loki shape: get-or-create written with two returns. The decoder made
// on a miss is handed out in place of a pooled one and put back with it.
type decPools struct {
	readers sync.Pool
	bufs    sync.Pool
}

func (p *decPools) getReader(src io.Reader) io.Reader {
	if r := p.readers.Get(); r != nil {
		d := r.(*zdec.Decoder)
		d.Reset(src)
		return d
	}
	d, err := zdec.NewLazyReader(src) // want `\*zdec.Decoder created here is returned in place of a value from the sync.Pool's Get`
	if err != nil {
		panic(err)
	}
	return d
}

func (p *decPools) putReader(r io.Reader) { p.readers.Put(r) }

// Loki's attempted fix: a finalizer on the decoder, which its own
// goroutine keeps reachable, so the finalizer never runs.
func (p *decPools) getReader2(src io.Reader) io.Reader {
	if r := p.readers.Get(); r != nil {
		return r.(*zdec.Decoder)
	}
	d, err := zdec.NewLazyReader(src) // want `a finalizer is attached, but the goroutine that zdec.NewLazyReader starts holds the object`
	if err != nil {
		panic(err)
	}
	runtime.SetFinalizer(d, (*zdec.Decoder).Close)
	return d
}

// A working fix: the pooled value is a wrapper, which the goroutine does
// not hold, and the finalizer on it closes the decoder.
type heldDec struct{ d *zdec.Decoder }

func (h *heldDec) Read(b []byte) (int, error) { return h.d.Read(b) }

func (p *decPools) getReader3(src io.Reader) io.Reader {
	if r := p.readers.Get(); r != nil {
		return r.(*heldDec)
	}
	d, err := zdec.NewLazyReader(src)
	if err != nil {
		panic(err)
	}
	h := &heldDec{d}
	runtime.SetFinalizer(h, func(h *heldDec) { h.d.Close() })
	return h
}

// Nothing to release: a buffer made on a miss.
func (p *decPools) getBuf() *bytes.Buffer {
	if b := p.bufs.Get(); b != nil {
		return b.(*bytes.Buffer)
	}
	return new(bytes.Buffer)
}

func (p *decPools) putBuf(b *bytes.Buffer) { b.Reset(); p.bufs.Put(b) }
