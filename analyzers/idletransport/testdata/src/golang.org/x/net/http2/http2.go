// Package http2 is a stub of golang.org/x/net/http2 for tests.
package http2

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

type Transport struct {
	IdleConnTimeout time.Duration
	ReadIdleTimeout time.Duration
	AllowHTTP       bool
	DialTLSContext  func(ctx context.Context, network, addr string, cfg *tls.Config) (net.Conn, error)
}

func (t *Transport) RoundTrip(*http.Request) (*http.Response, error) { return nil, nil }
func (t *Transport) CloseIdleConnections()                           {}

func ConfigureTransports(t1 *http.Transport) (*Transport, error) { return &Transport{}, nil }

type ClientConn struct{}

func (cc *ClientConn) Close() error { return nil }

// NewClientConn makes a client conn on a connection the caller dialed; it
// is not kept in the transport's pool.
func (t *Transport) NewClientConn(c net.Conn) (*ClientConn, error) { return &ClientConn{}, nil }
