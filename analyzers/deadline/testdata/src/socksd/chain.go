package socksd

import (
	"errors"
	"io"
	"net"
	"time"
)

// A reader helper given an io.Reader, used by the client and the server
// alike: it cannot arm a deadline, so the finding is at the read of the
// innermost function holding the connection as a connection.
func readN(r io.Reader, n int) ([]byte, error) { // want readN:`handshakes\(0 via io.ReadFull at chain.go:\d+ kept=false\)`
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

func version(r io.Reader) (byte, error) { // want version:`handshakes\(0 via io.ReadFull in socksd.readN`
	b, err := readN(r, 1)
	if err != nil {
		return 0, err
	}
	if b[0] != 5 {
		return 0, errors.New("not socks5")
	}
	return b[0], nil
}

type Relay interface{ Relay(a, b net.Conn) }

type ChainServer struct {
	target string
	relay  Relay
}

func (s *ChainServer) Serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go s.serve(c)
	}
}

func (s *ChainServer) handshake(c net.Conn) error { // want handshake:`handshakes`
	_, err := version(c) // want `io.ReadFull in socksd.readN \(at chain.go:\d+\) in socksd.version \(at chain.go:\d+\) in socksd.ChainServer.handshake \(at chain.go:\d+\) in socksd.ChainServer.serve \(at chain.go:\d+\), called at chain.go:\d+, reads from the connection accepted by net.Listener.Accept`
	return err
}

// serve hands the connection to an interface's method after the
// handshake: it is kept.
func (s *ChainServer) serve(c net.Conn) { // want serve:`handshakes\(1 via .* kept=true\)`
	if err := s.handshake(c); err != nil {
		c.Close()
		return
	}
	up, err := net.DialTimeout("tcp", s.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	s.relay.Relay(c, up)
}

// The fixed server arms a deadline over the handshake.
func (s *ChainServer) ServeFixed(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go s.serveFixed(c)
	}
}

func (s *ChainServer) serveFixed(c net.Conn) { // want serveFixed:`armsDeadline\[1\]`
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := version(c); err != nil {
		c.Close()
		return
	}
	c.SetReadDeadline(time.Time{})
	up, err := net.DialTimeout("tcp", s.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	s.relay.Relay(c, up)
}

// A hand-written copy loop on io.Reader and io.Writer parameters streams;
// its reads are no handshake, whatever its callers pass.
func pump(dst io.Writer, src io.Reader) error {
	buf := make([]byte, 512)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			return err
		}
	}
}

func (s *ChainServer) ServePlain(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			up, err := net.DialTimeout("tcp", s.target, 5*time.Second)
			if err != nil {
				c.Close()
				return
			}
			up.SetDeadline(time.Now().Add(time.Minute))
			go pump(up, c)
			pump(c, up)
		}()
	}
}
