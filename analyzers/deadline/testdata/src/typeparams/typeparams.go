package typeparams

import (
	"io"
	"net"
	"net/http"
	"time"
)

type Conn interface {
	net.Conn
}

// A generic relay: its callers decide.
func Pipe[C Conn](a, b C) { // want Pipe:`relays`
	go io.Copy(a, b) // want `io.Copy in typeparams.Pipe, called at typeparams.go:23`
	io.Copy(b, a)
}

func use(ln net.Listener) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", "x")
	Pipe(c, up)
}

func useArmed(ln net.Listener) {
	c, _ := ln.Accept()
	c.SetDeadline(time.Now().Add(time.Minute))
	up, _ := net.Dial("tcp", "x")
	Pipe(c, up)
}

type Box[T any] struct{ srv *http.Server }

func (b *Box[T]) Start(h http.Handler) error {
	b.srv = &http.Server{Handler: h, ReadHeaderTimeout: time.Second} // want `IdleTimeout`
	return b.srv.ListenAndServe()
}
