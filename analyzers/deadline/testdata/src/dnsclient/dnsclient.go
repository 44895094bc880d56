// Package dnsclient is a DNS-client-like library: its Conn embeds the
// net.Conn it frames messages on and has a Read of its own, and Exchange
// arms both deadlines on the connection (through the promoted setters)
// before it writes the query and reads the answer.
package dnsclient

import (
	"encoding/binary"
	"io"
	"net"
	"time"
)

type Conn struct {
	net.Conn
	size int
}

func (co *Conn) Read(p []byte) (int, error) {
	var n uint16
	if err := binary.Read(co.Conn, binary.BigEndian, &n); err != nil {
		return 0, err
	}
	return io.ReadFull(co.Conn, p[:n])
}

func (co *Conn) ReadMsg() ([]byte, error) { // want ReadMsg:`handshakes\(0 via dnsclient.Conn.Read at dnsclient.go:29`
	p := make([]byte, 512)
	n, err := co.Read(p)
	return p[:n], err
}

func (co *Conn) WriteMsg(m []byte) error {
	_, err := co.Conn.Write(m)
	return err
}

type Client struct{ Timeout time.Duration }

func (c *Client) Exchange(m []byte, co *Conn) ([]byte, error) { // want Exchange:`armsDeadline\[2\]`
	t := time.Now().Add(c.Timeout)
	co.SetWriteDeadline(t)
	co.SetReadDeadline(t)
	if err := co.WriteMsg(m); err != nil {
		return nil, err
	}
	return co.ReadMsg()
}

// Query reads an answer with no deadline at all.
func (c *Client) Query(m []byte, co *Conn) ([]byte, error) { // want Query:`handshakes\(2 via dnsclient.Conn.Read in dnsclient.Conn.ReadMsg \(at dnsclient.go:29\) at dnsclient.go:55`
	if err := co.WriteMsg(m); err != nil {
		return nil, err
	}
	return co.ReadMsg()
}

func (c *Client) Dial(addr string) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, c.Timeout)
	if err != nil {
		return nil, err
	}
	return &Conn{Conn: nc}, nil
}
