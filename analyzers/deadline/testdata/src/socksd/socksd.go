// Package socksd is a SOCKS-style server: an accept loop, go
// s.serveConn(c), and the handshake read in a helper.
package socksd

import (
	"io"
	"net"
	"time"
)

type Server struct {
	target      string
	ReadTimeout time.Duration
}

func (s *Server) Serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go s.serveConn(c)
	}
}

func readGreeting(c net.Conn) ([]byte, error) { // want readGreeting:`handshakes\(0 via io.ReadFull at socksd.go:\d+ kept=false\)`
	buf := make([]byte, 3)
	_, err := io.ReadFull(c, buf) // want `io.ReadFull in socksd.readGreeting \(at socksd.go:\d+\) in socksd.Server.serveConn \(at socksd.go:\d+\), called at socksd.go:22, reads from the connection accepted by net.Listener.Accept`
	return buf, err
}

func (s *Server) serveConn(c net.Conn) { // want serveConn:`armsDeadline\[1\]` serveConn:`handshakes\(1 via .* kept=true\)`
	defer c.Close()
	if _, err := readGreeting(c); err != nil {
		return
	}
	up, err := net.Dial("tcp", s.target)
	if err != nil {
		return
	}
	defer up.Close()
	up.SetDeadline(time.Now().Add(time.Minute))
	c.SetDeadline(time.Now().Add(time.Minute))
	go io.Copy(up, c)
	io.Copy(c, up)
}

// The fixed server: a deadline over the handshake, cleared after.
func (s *Server) ServeFixed(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go s.serveConnFixed(c)
	}
}

func (s *Server) serveConnFixed(c net.Conn) { // want serveConnFixed:`armsDeadline\[1\]`
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := readGreeting(c); err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	up, err := net.Dial("tcp", s.target)
	if err != nil {
		return
	}
	defer up.Close()
	up.SetDeadline(time.Now().Add(time.Minute))
	c.SetDeadline(time.Now().Add(time.Minute))
	go io.Copy(up, c)
	io.Copy(c, up)
}

// A one-shot exchange on a connection that is not kept is no tunnel.
func probe(l net.Listener) {
	c, err := l.Accept()
	if err != nil {
		return
	}
	readGreeting(c)
	c.Close()
}
