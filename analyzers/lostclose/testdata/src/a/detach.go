package a

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// A wrapper whose detach moves the connection out to the caller and clears
// its field: after it the wrapper owns nothing, and the caller owns the
// connection it got.

type greeter struct {
	mu   sync.Mutex
	conn net.Conn
}

func dialGreeter(addr string) (*greeter, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return nil, err
	}
	return &greeter{conn: c}, nil
}

func (g *greeter) hello() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, err := g.conn.Write([]byte("hello\n"))
	return err
}

func (g *greeter) detach() net.Conn {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.conn
	g.conn = nil
	return c
}

// peek returns the connection but keeps it: not a hand-over.
func (g *greeter) peek() net.Conn { return g.conn }

func (g *greeter) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.conn == nil {
		return nil
	}
	return g.conn.Close()
}

func dialRaw(addr string) (net.Conn, error) {
	g, err := dialGreeter(addr)
	if err != nil {
		return nil, err
	}
	err = g.hello()
	raw := g.detach()
	if err != nil {
		raw.Close()
		return nil, err
	}
	return raw, nil
}

func dialPeeked(addr string) (net.Conn, error) {
	g, err := dialGreeter(addr) // want `g \(\*greeter from dialGreeter\) is never closed`
	if err != nil {
		return nil, err
	}
	return g.peek(), nil
}

func ServeGreet(w http.ResponseWriter, r *http.Request) {
	for _, addr := range r.URL.Query()["addr"] {
		if c, err := dialRaw(addr); err == nil {
			c.Close()
		}
		if c, err := dialPeeked(addr); err == nil {
			c.Close()
		}
	}
}
