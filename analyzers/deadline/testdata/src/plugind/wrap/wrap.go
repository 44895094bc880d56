// Package wrap joins a tunnel's stream and the connection under it into one
// net.Conn, and lets a reader peek at a connection's first bytes.
package wrap

import (
	"bytes"
	"io"
	"net"
	"time"
)

// Conn reads and writes the stream; deadlines go to the connection under it.
type Conn struct {
	io.ReadWriteCloser
	under net.Conn
}

func New(rwc io.ReadWriteCloser, under net.Conn) net.Conn {
	return &Conn{ReadWriteCloser: rwc, under: under}
}

func (c *Conn) Close() error                       { return c.ReadWriteCloser.Close() }
func (c *Conn) LocalAddr() net.Addr                { return c.under.LocalAddr() }
func (c *Conn) RemoteAddr() net.Addr               { return c.under.RemoteAddr() }
func (c *Conn) SetDeadline(t time.Time) error      { return c.under.SetDeadline(t) }
func (c *Conn) SetReadDeadline(t time.Time) error  { return c.under.SetReadDeadline(t) }
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.under.SetWriteDeadline(t) }

// Shared replays, on its own reads, what the reader returned by NewShared
// consumed.
type Shared struct {
	net.Conn
	seen *bytes.Buffer
}

func NewShared(c net.Conn) (*Shared, io.Reader) {
	s := &Shared{Conn: c, seen: new(bytes.Buffer)}
	return s, io.TeeReader(c, s.seen)
}

func (s *Shared) Read(p []byte) (int, error) {
	if s.seen.Len() > 0 {
		return s.seen.Read(p)
	}
	return s.Conn.Read(p)
}
