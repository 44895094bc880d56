package a

import (
	"context"
	"io"
	"sync"
)

// flusher runs a goroutine per stream, started by Reset with a destination
// and stopped by Close or by a Reset with nil.
type flusher struct {
	out    chan []byte
	cancel context.CancelFunc
}

// Flusher is flusher, for the importers that pool it.
type Flusher = flusher

// NewFlusher starts a flusher on dst (nil: none yet).
func NewFlusher(dst io.Writer) *flusher { return newFlusher(dst) }

func newFlusher(dst io.Writer) *flusher {
	f := &flusher{}
	f.Reset(dst)
	return f
}

func (f *flusher) stop() {
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

func (f *flusher) Reset(dst io.Writer) {
	f.stop()
	if dst == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	f.out, f.cancel = make(chan []byte, 4), cancel
	go func(out chan []byte) {
		for {
			select {
			case b := <-out:
				dst.Write(b)
			case <-ctx.Done():
				return
			}
		}
	}(f.out)
}

func (f *flusher) Write(p []byte) (int, error) {
	f.out <- append([]byte(nil), p...)
	return len(p), nil
}

func (f *flusher) Close() error {
	f.stop()
	return nil
}

// Closed before every Put: the pool only ever holds stopped flushers.
var flushers = sync.Pool{New: func() any { return newFlusher(nil) }}

type pooledFlusher struct{ f *flusher }

func (w pooledFlusher) Write(p []byte) (int, error) { return w.f.Write(p) }

func (w pooledFlusher) Close() error {
	err := w.f.Close()
	flushers.Put(w.f)
	return err
}

func Flush(dst io.Writer) io.WriteCloser {
	f := flushers.Get().(*flusher)
	f.Reset(dst)
	return pooledFlusher{f: f}
}

// Reset with nil before every Put, in a get-or-create with no New.
var streams sync.Pool

type pooledStream struct {
	f    *flusher
	once sync.Once
}

func (p *pooledStream) Write(b []byte) (int, error) {
	n, err := p.f.Write(b)
	if err != nil {
		p.once.Do(func() {
			p.f.Reset(nil)
			streams.Put(p.f)
		})
	}
	return n, err
}

func Stream(dst io.Writer) io.Writer {
	f, ok := streams.Get().(*flusher)
	if !ok {
		f = newFlusher(dst)
	} else {
		f.Reset(dst)
	}
	return &pooledStream{f: f}
}
