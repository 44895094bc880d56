package session

import (
	"bufio"
	"context"
	"net"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ---- reported ----

// A websocket client that reads through a helper its read loop calls (the
// goobs shape): still a session read in a loop.
type OBSClient struct {
	mu   sync.Mutex
	conn *websocket.Conn
}

func (c *OBSClient) readJSON(v any) error { return c.conn.ReadJSON(v) }

func (c *OBSClient) handleMessages() {
	for {
		var msg map[string]any
		if err := c.readJSON(&msg); err != nil {
			return
		}
	}
}

func (c *OBSClient) writeMessage(t int, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn.WriteMessage(t, data) // want `this write on field conn, the connection of a session this package reads in a loop`
}

// A FIX-style session: a read loop, and writes with no write deadline.
type Conn struct {
	conn net.Conn
	in   chan []byte
}

func NewConn(conn net.Conn) *Conn { return &Conn{conn: conn, in: make(chan []byte, 8)} }

func (c *Conn) readLoop() error {
	r := bufio.NewReader(c.conn)
	for {
		b, err := r.ReadBytes(1)
		if err != nil {
			return err
		}
		c.in <- b
	}
}

func (c *Conn) Write(msg []byte) error {
	_, err := c.conn.Write(msg) // want `this write on field conn, the connection of a session this package reads in a loop, has no write deadline`
	return err
}

// A websocket client: the same with WriteMessage.
type Client struct {
	mu sync.Mutex
	ws *websocket.Conn
}

func (c *Client) handle(ctx context.Context) {
	for {
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		_ = msg
	}
}

func (c *Client) send(data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteMessage(1, data) // want `this write on field ws`
}

// ---- accepted ----

// The fixed session: a write deadline before every write.
type FixedConn struct {
	conn net.Conn
}

func (c *FixedConn) readLoop() {
	buf := make([]byte, 1024)
	for {
		if _, err := c.conn.Read(buf); err != nil {
			return
		}
	}
}

func (c *FixedConn) Write(msg []byte) error { // want Write:`armsDeadline\[0\]`
	c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := c.conn.Write(msg)
	return err
}

// No read loop: a one-shot exchange, not a session.
type oneShot struct{ conn net.Conn }

func (o *oneShot) ping() error {
	_, err := o.conn.Write([]byte("ping"))
	return err
}

// Handed to code that may arm deadlines on it.
type handed struct{ conn net.Conn }

func (h *handed) loop(arm func(net.Conn)) {
	arm(h.conn)
	buf := make([]byte, 1)
	for {
		if _, err := h.conn.Read(buf); err != nil {
			return
		}
	}
}

func (h *handed) write(b []byte) { h.conn.Write(b) }

// A connection wrapper embedding net.Conn: its holder arms the deadlines
// through the promoted methods.
type obfsConn struct {
	net.Conn
	header []byte
}

func (c *obfsConn) Read(b []byte) (int, error) {
	for {
		n, err := c.Conn.Read(b)
		if err != nil || n > 0 {
			return n, err
		}
	}
}

func (c *obfsConn) Write(b []byte) (int, error) { return c.Conn.Write(append(c.header, b...)) }
