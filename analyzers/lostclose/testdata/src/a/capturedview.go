package a

import (
	"bufio"
	"net"
)

// A per-connection goroutine wraps the accepted connection, which it
// closes with a defer, in a buffered view and hands that to a handshake
// that returns a view of it: nothing new to close.

type peekConn struct {
	net.Conn
	r *bufio.Reader
}

type sealed struct {
	net.Conn
	peer string
}

func sealServer(c net.Conn) (*sealed, error) {
	if _, err := c.Write([]byte("hello")); err != nil {
		return nil, err
	}
	return &sealed{Conn: c}, nil
}

func acceptSealed(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			r := bufio.NewReader(conn)
			s, err := sealServer(&peekConn{Conn: conn, r: r})
			if err != nil {
				return
			}
			s.Write([]byte("ok"))
		}()
	}
}
