// Package proxy forwards API requests to a downstream cluster through a
// tunnel dialer.
package proxy

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
)

type Handler struct {
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// ServeHTTP builds a transport for every request. Nothing bounds its idle
// connections or closes them: each request leaves a pooled connection, and
// its goroutines, behind.
func (h *Handler) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	target := &url.URL{Scheme: "http", Host: req.Header.Get("X-Cluster")}
	p := httputil.NewSingleHostReverseProxy(target)
	p.Transport = &http.Transport{DialContext: h.dial}
	p.ServeHTTP(rw, req)
}
