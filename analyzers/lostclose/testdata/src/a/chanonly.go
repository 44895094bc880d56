package a

import "net/http"

// An in-memory pipe whose Close only closes a channel: with nothing
// waiting on it (the package starts no goroutine on it), dropping both ends
// leaks nothing.
type memPipe struct {
	data chan []byte
	done chan struct{}
}

func newMemPipe() *memPipe {
	return &memPipe{data: make(chan []byte, 8), done: make(chan struct{})}
}

func (p *memPipe) Close() error { close(p.done); return nil }

func memPipeDropped(w http.ResponseWriter, r *http.Request) {
	p := newMemPipe() // nothing waits on its channel
	p.data <- []byte("x")
}

// The same, but the package runs a pump goroutine on it, which only its
// Close ends: a real release.
type pumpPipe struct {
	data chan []byte
	done chan struct{}
}

func newPumpPipe() *pumpPipe {
	p := &pumpPipe{data: make(chan []byte, 8), done: make(chan struct{})}
	go p.pump()
	return p
}

func (p *pumpPipe) pump() {
	for {
		select {
		case <-p.done:
			return
		case <-p.data:
		}
	}
}

func (p *pumpPipe) Close() error { close(p.done); return nil }

func pumpPipeDropped(w http.ResponseWriter, r *http.Request) {
	p := newPumpPipe() // want `p \(\*pumpPipe from newPumpPipe\) is never closed`
	p.data <- []byte("x")
}
