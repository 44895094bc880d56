// Package rotate is a gateway that rebuilds each API's upstream transport
// every few minutes, on the request path, and stores it over the old one.
package rotate

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

type roundTripper struct {
	transport *http.Transport
	name      string
}

func (rt *roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	return rt.transport.RoundTrip(r)
}

type api struct {
	mu      sync.Mutex
	rt      *roundTripper
	created time.Time
	maxAge  time.Duration
}

func newTransport() *http.Transport {
	return &http.Transport{ // want `this transport, with no IdleConnTimeout, is stored in field rt by ServeHTTP \(line \d+\), which runs on every request \(it is a ServeHTTP method\), over the transport stored before, and never releases that one`
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 100,
	}
}

func build(name string) *roundTripper {
	t := newTransport()
	return &roundTripper{transport: t, name: name}
}

type Proxy struct{ api *api }

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.api.mu.Lock()
	rotate := p.api.rt == nil || time.Since(p.api.created) > p.api.maxAge
	if rotate {
		p.api.rt = build("upstream")
		p.api.created = time.Now()
	}
	rt := p.api.rt
	p.api.mu.Unlock()
	resp, err := rt.RoundTrip(r)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	resp.Body.Close()
}

// The fixed gateway closes the old transport's idle connections when it
// replaces it.
type FixedProxy struct{ api *api }

func (p *FixedProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.api.mu.Lock()
	rotate := p.api.rt == nil || time.Since(p.api.created) > p.api.maxAge
	if rotate {
		var old *http.Transport
		if p.api.rt != nil {
			old = p.api.rt.transport
		}
		p.api.rt = buildFixed("upstream")
		p.api.created = time.Now()
		if old != nil {
			old.CloseIdleConnections()
		}
	}
	rt := p.api.rt
	p.api.mu.Unlock()
	resp, err := rt.RoundTrip(r)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	resp.Body.Close()
}

func buildFixed(name string) *roundTripper {
	return &roundTripper{transport: &http.Transport{MaxIdleConnsPerHost: 100}, name: name}
}

// Built once, lazily, where the field was nil: one per API, reused.
type LazyProxy struct{ api *api }

func (p *LazyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.api.mu.Lock()
	if p.api.rt == nil {
		p.api.rt = &roundTripper{transport: &http.Transport{MaxIdleConnsPerHost: 10}}
	}
	rt := p.api.rt
	p.api.mu.Unlock()
	resp, err := rt.RoundTrip(r)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// A package-level client made lazily, its transport set right after: a new
// object, nothing replaced.
var shared *http.Client

func sharedClient() *http.Client {
	if shared == nil {
		shared = &http.Client{Timeout: time.Minute}
		shared.Transport = &http.Transport{MaxIdleConnsPerHost: 4}
	}
	return shared
}

func Poll(urls []string) {
	for _, u := range urls {
		resp, err := sharedClient().Get(u)
		if err == nil {
			resp.Body.Close()
		}
	}
}

// Made by a helper its only caller runs where the field is nil: lazy, one
// per server.
type Server struct {
	client *http.Client
}

func (s *Server) initClient() {
	s.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.client == nil {
		s.initClient()
	}
	resp, err := s.client.Get("http://backend/")
	if err == nil {
		resp.Body.Close()
	}
}

// The same helper called unguarded on every request replaces the client.
type Unguarded struct {
	client *http.Client
}

func (s *Unguarded) initClient() {
	s.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}} // want `this transport, with no IdleConnTimeout, is stored in field client by initClient`
}

func (s *Unguarded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.initClient()
	resp, err := s.client.Get("http://backend/")
	if err == nil {
		resp.Body.Close()
	}
}

// A MITM proxy's per-connection client: its transport dials nothing, it
// returns the connection the proxy already holds, so replacing the client
// pools nothing beyond that connection, which the proxy closes.
type connState struct {
	upstream net.Conn
	client   *http.Client
}

type state struct{ conn *connState }

func (st *state) upgrade(w http.ResponseWriter, r *http.Request) {
	st.conn.client = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return st.conn.upstream, nil
		},
	}}
}

func (st *state) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st.upgrade(w, r)
	resp, err := st.conn.client.Get("http://upstream/")
	if err == nil {
		resp.Body.Close()
	}
}

// A constructor's new object, its client set after: nothing replaced.
func newConnState(c net.Conn) *connState { return &connState{upstream: c} }

func (p *Proxy) handshake(w http.ResponseWriter, r *http.Request) *connState {
	cs := newConnState(nil)
	cs.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
	return cs
}

// A round tripper whose init fills its transports on the object its
// constructor has just made, once per handler: nothing was stored before.
type alpnTripper struct {
	h1 *http.Transport
	h2 *http.Transport
}

func (a *alpnTripper) init() {
	a.h1 = &http.Transport{MaxIdleConnsPerHost: 4}
	a.h2 = &http.Transport{ForceAttemptHTTP2: true}
}

func (a *alpnTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.ProtoMajor == 2 {
		return a.h2.RoundTrip(r)
	}
	return a.h1.RoundTrip(r)
}

func newALPNTripper() http.RoundTripper {
	a := &alpnTripper{}
	a.init()
	return a
}

type Gateway struct{ rt http.RoundTripper }

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := g.rt.RoundTrip(r)
	if err != nil {
		return
	}
	resp.Body.Close()
}

func NewGatewayHandler() http.Handler { return &Gateway{rt: newALPNTripper()} }
