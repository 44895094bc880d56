// Package proxy forwards API requests to a downstream cluster through a
// tunnel dialer.
package proxy

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

type Handler struct {
	dial func(ctx context.Context, network, addr string) (net.Conn, error)

	once      sync.Once
	transport *http.Transport
}

// ServeHTTP shares one transport, built once, with a bound on idle
// connections.
func (h *Handler) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	h.once.Do(func() {
		h.transport = &http.Transport{DialContext: h.dial, IdleConnTimeout: 90 * time.Second}
	})
	target := &url.URL{Scheme: "http", Host: req.Header.Get("X-Cluster")}
	p := httputil.NewSingleHostReverseProxy(target)
	p.Transport = h.transport
	p.ServeHTTP(rw, req)
}
