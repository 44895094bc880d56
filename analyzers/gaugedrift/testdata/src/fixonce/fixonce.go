package fixonce

import (
	"net"

	"github.com/prometheus/client_golang/prometheus"
)

var open = prometheus.NewGauge(prometheus.GaugeOpts{Name: "open"})

type conn struct {
	net.Conn
}

func newConn(c net.Conn) net.Conn {
	open.Inc()
	return &conn{c}
}

func (c *conn) Close() error {
	open.Dec() // want `runs on every call of \(\*conn\).Close`
	return c.Conn.Close()
}

type cbConn struct {
	net.Conn
	onClose func()
}

func newCbConn(c net.Conn, onClose func()) *cbConn {
	return &cbConn{Conn: c, onClose: onClose}
}

func dial(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	open.Inc()
	return newCbConn(c, func() { open.Dec() }), nil
}

func (c *cbConn) Close() error {
	if c.onClose != nil {
		c.onClose() // want `calls the callback onClose`
	}
	return c.Conn.Close()
}
