package a

import (
	"bufio"
	"crypto/tls"
	"net"
)

// A session that frames messages on a connection ends its read goroutine
// when the connection is closed: closing the connection it was built on,
// directly or under a TLS layer, releases it.

type lineSession struct {
	conn net.Conn
	in   chan []byte
}

func newLineSession(c net.Conn) *lineSession {
	f := &lineSession{conn: c, in: make(chan []byte, 8)}
	go f.readLoop()
	return f
}

func (f *lineSession) readLoop() {
	r := bufio.NewReader(f.conn)
	for {
		b, err := r.ReadBytes('\n')
		if err != nil {
			close(f.in)
			return
		}
		f.in <- b
	}
}

func (f *lineSession) Close() error { return f.conn.Close() }

func serveFramed(c net.Conn, cfg *tls.Config) {
	defer c.Close()
	tc := tls.Server(c, cfg)
	if err := tc.Handshake(); err != nil {
		return
	}
	f := newLineSession(tc)
	for b := range f.in {
		_ = b
	}
}

func serveFramedPlain(c net.Conn) {
	f := newLineSession(c)
	defer c.Close()
	for b := range f.in {
		_ = b
	}
}

// Closing the connection on one path only leaves the session on the other.
func serveFramedOnce(c net.Conn, quit bool) {
	f := newLineSession(c) // want `f \(\*lineSession from newLineSession\) is never closed on the path to the return at line 62`
	if quit {
		return
	}
	for b := range f.in {
		_ = b
	}
	c.Close()
}
