package a

import (
	"bufio"
	"net"
	"time"
)

// A writer that redials on every write error from its serve loop and
// replaces the framing around the connection: the old connection is lost
// each time.

type framer struct{ w *bufio.Writer }

func newFramer(c net.Conn) (*framer, error) {
	f := &framer{w: bufio.NewWriter(c)}
	if f.w == nil {
		return nil, net.ErrClosed
	}
	return f, nil
}

type tapOut struct {
	addr  string
	enc   *framer
	queue chan []byte
}

func (d *tapOut) dial() error {
	conn, err := net.DialTimeout("tcp", d.addr, time.Second)
	if err != nil {
		return err
	}
	d.enc, err = newFramer(conn) // want `field enc is overwritten with a new resource every time the loop in serve runs it again on the same object`
	return err
}

func (d *tapOut) serve() {
	for m := range d.queue {
		if _, err := d.enc.w.Write(m); err != nil {
			d.dial()
		}
	}
}

// The fixed writer closes the old connection before dialling again.
type tapOutFixed struct {
	addr  string
	conn  net.Conn
	enc   *framer
	queue chan []byte
}

func (d *tapOutFixed) dial() error {
	if d.conn != nil {
		d.conn.Close()
	}
	conn, err := net.DialTimeout("tcp", d.addr, time.Second)
	if err != nil {
		return err
	}
	d.conn = conn
	d.enc, err = newFramer(conn)
	return err
}

func (d *tapOutFixed) serve() {
	for m := range d.queue {
		if _, err := d.enc.w.Write(m); err != nil {
			d.dial()
		}
	}
}

// A reconnecting session whose connection is consumed, and closed, by the
// goroutine it is handed to: replacing the field loses nothing.
type peerLink struct {
	addr string
	conn net.Conn
}

func (s *peerLink) consume(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 64)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

func (s *peerLink) connect() error {
	c, err := net.DialTimeout("tcp", s.addr, time.Second)
	if err != nil {
		return err
	}
	go s.consume(c)
	s.conn = c
	return nil
}

func (s *peerLink) run(stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if err := s.connect(); err != nil {
			continue
		}
	}
}

// Sessions kept in a slice of states made here and closed from it later.
type runState struct{ client *session }

func runAll(addrs []string) int {
	states := make([]runState, len(addrs))
	for i, a := range addrs {
		s, err := dialSession(a)
		if err != nil {
			continue
		}
		states[i].client = s
	}
	n := 0
	for i := range states {
		if states[i].client != nil {
			states[i].client.Close()
			n++
		}
	}
	return n
}
