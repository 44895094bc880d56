package a

import (
	"net"
	"sync"
	"syscall"
)

// A descriptor struct copied by value into its new owner (c.fd = *fd)
// moves the resource: the owner's Close closes the copy.

type dupFD struct {
	net.Conn
	fd int
}

func (n *dupFD) Close() error { return syscall.Close(n.fd) }

type adoptedConn struct {
	dupFD
}

func (c *adoptedConn) Close() error { return c.dupFD.Close() }

type adoptServer struct {
	ln    net.Listener
	conns sync.Map
}

func (s *adoptServer) adopt(conn net.Conn) {
	c := new(adoptedConn)
	if nfd, ok := conn.(*dupFD); ok {
		c.dupFD = *nfd
	}
	s.conns.Store(c.fd, c)
}

// peek copies the descriptor into a value it drops.
func (s *adoptServer) peek(conn net.Conn) int {
	var c adoptedConn
	if nfd, ok := conn.(*dupFD); ok {
		c.dupFD = *nfd
	}
	return c.fd
}

func (s *adoptServer) acceptOne() error {
	conn, err := s.ln.Accept()
	if err != nil {
		return err
	}
	s.adopt(conn)
	return nil
}

func (s *adoptServer) peekOne() error {
	conn, err := s.ln.Accept() // want `conn \(net.Conn from s.ln.Accept\) is never closed`
	if err != nil {
		return err
	}
	_ = s.peek(conn)
	return nil
}

func (s *adoptServer) Shutdown() {
	s.conns.Range(func(_, v any) bool { v.(*adoptedConn).Close(); return true })
}
