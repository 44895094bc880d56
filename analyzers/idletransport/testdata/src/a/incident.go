package a

import (
	"context"
	"net"
	"net/http"

	"restcfg"
)

type Handler struct {
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (h *Handler) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	next, _ := h.next("c1", "/k8s")
	next.ServeHTTP(rw, req)
}

// The shape of Rancher v2.10.4 pkg/api/steve/proxy: a new transport, with no
// idle timeout, for every request.
func (h *Handler) next(clusterID, prefix string) (http.Handler, error) {
	cfg := &restcfg.Config{
		Host: "http://" + clusterID,
		Transport: &http.Transport{ // want `http.Transport is built every time next builds a handler .* with no IdleConnTimeout`
			DialContext: h.dial,
		},
	}
	next := restcfg.Handler(prefix, cfg)
	return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		next.ServeHTTP(rw, req)
	}), nil
}

// The shape of the v2.10.5 fix: a clone of the default transport.
func (h *Handler) nextFixed(clusterID, prefix string) (http.Handler, error) {
	ht := http.DefaultTransport.(*http.Transport).Clone()
	ht.Proxy = nil
	ht.DialContext = h.dial
	cfg := &restcfg.Config{Host: "http://" + clusterID, Transport: ht}
	next := restcfg.Handler(prefix, cfg)
	return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		next.ServeHTTP(rw, req)
	}), nil
}
