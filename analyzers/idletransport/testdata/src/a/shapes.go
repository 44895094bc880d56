package a

import (
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"sync"
	"time"

	"golang.org/x/net/http2"
)

// Per request, used through a client and dropped.
func fetch(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{Transport: &http.Transport{}} // want `http.Transport is built on every request \(fetch is an HTTP handler\)`
	resp, err := c.Get("http://backend/")
	if err == nil {
		io.Copy(w, resp.Body)
		resp.Body.Close()
	}
}

func fetchNew(w http.ResponseWriter, r *http.Request) {
	t := new(http.Transport) // want `http.Transport is built on every request`
	t.RoundTrip(r)
}

func fetchHTTP2(w http.ResponseWriter, r *http.Request) {
	t := &http2.Transport{AllowHTTP: true} // want `http2.Transport is built on every request`
	t.RoundTrip(r)
}

// Bounded, but built for one request: a pool per request is never reused.
func fetchHTTP2Bounded(w http.ResponseWriter, r *http.Request) {
	t := &http2.Transport{IdleConnTimeout: time.Minute} // want `until IdleConnTimeout`
	t.RoundTrip(r)
}

func fetchHTTP2ReadIdle(w http.ResponseWriter, r *http.Request) {
	t := &http2.Transport{ReadIdleTimeout: time.Minute} // want `http2.Transport is built on every request`
	t.RoundTrip(r)
}

type rt struct {
	dial func(network, addr string) (net.Conn, error)
}

// A RoundTrip building a transport each time.
func (x *rt) RoundTrip(req *http.Request) (*http.Response, error) {
	t := &http.Transport{Dial: x.dial} // want `on every round trip`
	return t.RoundTrip(req)
}

// A loop in a function of unknown frequency: one transport per iteration.
func poll(urls []string) {
	for _, u := range urls {
		c := &http.Client{Transport: &http.Transport{}} // want `on every iteration of a loop`
		if resp, err := c.Get(u); err == nil {
			resp.Body.Close()
		}
	}
}

// A zero or negative idle timeout bounds nothing.
func zeroTimeout(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{IdleConnTimeout: 0, DisableKeepAlives: false} // want `on every request`
	t.RoundTrip(r)
}

// ---- accepted ----

func bounded(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{IdleConnTimeout: 30 * time.Second} // want `on every request .* until IdleConnTimeout`
	t.RoundTrip(r)
}

func boundedLater(w http.ResponseWriter, r *http.Request, d time.Duration) {
	t := &http.Transport{} // want `on every call of boundedLater .* until IdleConnTimeout`
	t.IdleConnTimeout = d // unknown value: trusted as a bound
	t.RoundTrip(r)
}

func noKeepAlive(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{DisableKeepAlives: true}
	t.RoundTrip(r)
}

func noIdlePerHost(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{MaxIdleConnsPerHost: -1}
	t.RoundTrip(r)
}

func released(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{}
	defer t.CloseIdleConnections()
	t.RoundTrip(r)
}

func releasedByClient(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{Transport: &http.Transport{}}
	defer c.CloseIdleConnections()
	c.Get("http://backend/")
}

func releasedInClosure(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{}
	defer func() { t.CloseIdleConnections() }()
	t.RoundTrip(r)
}

func cloned(w http.ResponseWriter, r *http.Request) {
	t := http.DefaultTransport.(*http.Transport).Clone() // want `the new transport from http.Transport.Clone is built on every request`
	t.RoundTrip(r)
}

type cache struct {
	mu sync.Mutex
	m  map[string]*http.Transport
	t  *http.Transport
	sm sync.Map
}

func (c *cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	t := c.m[r.Host]
	if t == nil {
		t = &http.Transport{}
		c.m[r.Host] = t
	}
	c.mu.Unlock()
	t.RoundTrip(r)
}

func (c *cache) viaField(w http.ResponseWriter, r *http.Request) {
	if c.t == nil {
		c.t = &http.Transport{}
	}
	c.t.RoundTrip(r)
}

// Replaced, with the old one's idle connections closed.
func (c *cache) replace(w http.ResponseWriter, r *http.Request) {
	old := c.t
	c.t = &http.Transport{}
	if old != nil {
		old.CloseIdleConnections()
	}
}

func (c *cache) viaSyncMap(w http.ResponseWriter, r *http.Request) {
	t, _ := c.sm.LoadOrStore(r.Host, &http.Transport{})
	t.(*http.Transport).RoundTrip(r)
}

var global *http.Transport

func viaGlobal(w http.ResponseWriter, r *http.Request) {
	global = &http.Transport{}
}

// Built once: not a per-call path.
func newDefault() *http.Client {
	return &http.Client{Transport: &http.Transport{IdleConnTimeout: time.Minute}}
}

// Loops that register what they build keep it.
func register(mux *http.ServeMux, backends []string) {
	for _, b := range backends {
		rp := &httputil.ReverseProxy{Transport: &http.Transport{}}
		mux.Handle("/"+b, rp)
	}
}

// A handler builder runs on every configuration reload: each build leaves
// the previous transport's idle connections open.
func build() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{Transport: &http.Transport{}} // want `every time build builds a handler`
}

func buildBounded() *httputil.ReverseProxy {
	return &httputil.ReverseProxy{Transport: &http.Transport{IdleConnTimeout: time.Minute}}
}

// A function of unknown frequency, not in a loop, that keeps what it builds.
type server struct{ rp *httputil.ReverseProxy }

func (s *server) init() {
	s.rp = &httputil.ReverseProxy{Transport: &http.Transport{}}
}

// Handed over a channel.
func handOver(w http.ResponseWriter, r *http.Request, ch chan<- http.RoundTripper) {
	ch <- &http.Transport{}
}
