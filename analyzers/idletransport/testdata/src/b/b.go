// Package b uses the factories of package a from another package.
package b

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"

	"golang.org/x/net/http2"
)

func NewTransport() http.RoundTripper {
	return &http.Transport{}
}

// StreamConn wraps a connection the caller dialed in an HTTP/2 client
// conn: the transport is used only for NewClientConn, pools nothing, and
// callers in other packages that run it per connection leak nothing.
func StreamConn(conn net.Conn) (*h2conn, error) {
	t := &http2.Transport{}
	cc, err := t.NewClientConn(conn)
	if err != nil {
		return nil, err
	}
	return &h2conn{Conn: conn, cc: cc}, nil
}

type h2conn struct {
	net.Conn
	cc *http2.ClientConn
}

func (c *h2conn) Close() error {
	c.cc.Close()
	return c.Conn.Close()
}

// PooledConn builds a transport that dials on its own on every call: its
// callers leak its pool.
func PooledConn(conn net.Conn) *http.Client {
	t := &http2.Transport{} // want `a new http2.Transport is built for every connection`
	c := &http.Client{Transport: t}
	c.Get("https://example.com/")
	return nil
}

// Fallback sends one request over a connection the caller closes: the
// transport's dial hands back that connection only, so it pools nothing
// else.
func Fallback(conn net.Conn) {
	defer conn.Close()
	client := http.Client{Transport: &http2.Transport{
		DialTLSContext: func(ctx context.Context, network, addr string, cfg *tls.Config) (net.Conn, error) {
			return conn, nil
		},
	}}
	resp, err := client.Get("https://example.com/")
	if err != nil {
		return
	}
	resp.Body.Close()
}
