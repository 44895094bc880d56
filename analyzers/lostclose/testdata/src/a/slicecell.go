package a

import (
	"errors"
	"net"
)

func mustDial(addr string) net.Conn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		panic(err)
	}
	return c
}

// The slice a closure captures lives in a cell; it is returned through
// another load of that cell, with the closer of its elements.
func dialAll(addrs []string) ([]net.Conn, func(), error) {
	if len(addrs) == 0 {
		return nil, nil, errors.New("no addresses")
	}
	conns := make([]net.Conn, len(addrs))
	for i, a := range addrs {
		conns[i] = mustDial(a)
	}
	return conns, func() {
		for _, c := range conns {
			c.Close()
		}
	}, nil
}

// The same slice, counted and dropped: its connections are lost.
func countDialed(addrs []string) int {
	conns := make([]net.Conn, len(addrs))
	for i, a := range addrs {
		conns[i] = mustDial(a) // want `the result \(net.Conn from mustDial\) is never closed`
	}
	n := func() int { return len(conns) }
	return n()
}
