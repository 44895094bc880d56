package a

import (
	"context"
	"io"
	"log"
	"net"
	"time"
)

// A copier is one direction of a relay: it copies src to dst, then
// half-closes dst when dst can be half-closed.
type copier struct {
	name string
	dst  io.Writer
	src  io.Reader
}

func (c copier) copy(ctx context.Context, done chan<- struct{}) {
	io.Copy(c.dst, c.src)
	c.halfClose()
	done <- struct{}{}
}

// halfClose ends nothing when dst has no CloseWrite (a stream of a tunnel):
// the peer never learns that this direction is over.
func (c copier) halfClose() {
	if cw, ok := c.dst.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	} else if pw, ok := c.dst.(*io.PipeWriter); ok {
		pw.Close()
	} else {
		log.Printf("%s: cannot half-close %T", c.name, c.dst)
	}
}

func (c copier) forceClose() {
	if cl, ok := c.dst.(io.Closer); ok {
		cl.Close()
	}
}

// allCopies waits for every direction: when one side goes silent after the
// other finished, the wait never returns.
func allCopies(ctx context.Context, cc ...copier) {
	done := make(chan struct{}, len(cc))
	for i := range cc {
		go cc[i].copy(ctx, done) // want `allCopies starts copy for each element of cc and waits for all of them, but when one copy returns copy does not close, half-close or arm a deadline on every path`
	}
	for range cc {
		<-done
	}
}

func tunnel(ctx context.Context, client, upstream net.Conn) {
	allCopies(ctx,
		copier{name: "up", dst: upstream, src: client},
		copier{name: "down", dst: client, src: upstream})
}

// The fixed relay closes every direction a grace period after the first one
// ends.
func allCopiesBounded(ctx context.Context, cc ...copier) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{}, len(cc))
	for i := range cc {
		go cc[i].copy(ctx, done)
	}
	for i := range cc {
		<-done
		if i == 0 {
			go closeAfter(ctx, time.Minute, cc...)
		}
	}
}

func closeAfter(ctx context.Context, d time.Duration, cc ...copier) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(d):
	}
	for i := range cc {
		cc[i].forceClose()
	}
}

func tunnelBounded(ctx context.Context, client, upstream net.Conn) {
	allCopiesBounded(ctx,
		copier{name: "up", dst: upstream, src: client},
		copier{name: "down", dst: client, src: upstream})
}

// Independent copies, not a relay's directions: each ends with its source.
func copyAll(ctx context.Context, cc ...copier) {
	done := make(chan struct{}, len(cc))
	for i := range cc {
		go cc[i].copy(ctx, done)
	}
	for range cc {
		<-done
	}
}

func fanOut(ctx context.Context, logs []io.Reader, sink io.Writer) {
	var cc []copier
	for _, l := range logs {
		cc = append(cc, copier{name: "log", dst: sink, src: l})
	}
	copyAll(ctx, cc...)
}
