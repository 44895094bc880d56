// Package lineproto is a client of a line protocol that keeps its
// connection in a struct-valued field and closes it through that field.
package lineproto

import (
	"bufio"
	"errors"
	"net"
)

type wire struct {
	c net.Conn
	r *bufio.Scanner
}

func (w *wire) Close() error { return w.c.Close() }

// Client closes its wire, held by value.
type Client struct {
	w    wire
	mech string
}

func NewClient(c net.Conn) (*Client, error) {
	cl := Client{w: wire{c: c, r: bufio.NewScanner(c)}}
	if !cl.w.r.Scan() {
		return nil, errors.New("no greeting")
	}
	cl.mech = cl.w.r.Text()
	return &cl, nil
}

func (cl *Client) Mech() string { return cl.mech }

func (cl *Client) Close() error { return cl.w.Close() }

// Viewer keeps the connection by value too, but nothing closes it.
type Viewer struct {
	w wire
}

func NewViewer(c net.Conn) *Viewer {
	v := Viewer{w: wire{c: c}}
	return &v
}

func (v *Viewer) Peek() bool { return v.w.r != nil }
