package typeparams

import (
	"io"
	"net"
)

type Conn interface {
	net.Conn
	CloseWrite() error
}

func Pipe[C Conn](a, b C) {
	go func() {
		io.Copy(a, b)
		a.CloseWrite()
	}()
	io.Copy(b, a)
	b.CloseWrite()
}

func Leak[C net.Conn](a, b C) {
	go func() { io.Copy(a, b) }() // want `one direction of a pipe`
	io.Copy(b, a)
	a.Close()
}
