// Package websocket is a stub of github.com/gorilla/websocket.
package websocket

import (
	"net"
	"net/http"
	"time"
)

const BinaryMessage = 2

type Conn struct{ c net.Conn }

func (c *Conn) ReadJSON(v any) error { return nil }

func (c *Conn) ReadMessage() (int, []byte, error)     { return 0, nil, nil }
func (c *Conn) WriteMessage(t int, data []byte) error { return nil }
func (c *Conn) SetReadDeadline(t time.Time) error     { return c.c.SetReadDeadline(t) }
func (c *Conn) SetWriteDeadline(t time.Time) error    { return c.c.SetWriteDeadline(t) }
func (c *Conn) Close() error                          { return c.c.Close() }
func (c *Conn) UnderlyingConn() net.Conn              { return c.c }

type Upgrader struct{}

func (u *Upgrader) Upgrade(w http.ResponseWriter, r *http.Request, h http.Header) (*Conn, error) {
	return newConn(nil), nil
}

func newConn(c net.Conn) *Conn { return &Conn{c: c} }
