package a

import (
	"net/http"
	"net/http/httputil"
)

// A factory: the caller owns what it returns.
func newTransport() *http.Transport {
	return &http.Transport{}
}

func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{}}
}

// A function of unknown frequency that builds and drops a transport.
func ping(url string) {
	c := &http.Client{Transport: &http.Transport{}} // want `a new http.Transport is built on every request \(useLeaker is an HTTP handler\), through its call in useLeaker, through its call in pingTwice`
	if resp, err := c.Get(url); err == nil {
		resp.Body.Close()
	}
}

func pingTwice(url string) {
	ping(url)
	ping(url)
}

func useFactory(w http.ResponseWriter, r *http.Request) {
	t := newTransport() // want `the new transport from a.newTransport is built on every request`
	t.RoundTrip(r)
}

func useClientFactory(w http.ResponseWriter, r *http.Request) {
	c := newClient() // want `the new transport from a.newClient is built on every request`
	c.Get("http://x/")
}

func useFactoryReleased(w http.ResponseWriter, r *http.Request) {
	c := newClient()
	defer c.CloseIdleConnections()
	c.Get("http://x/")
}

func useLeaker(w http.ResponseWriter, r *http.Request) {
	pingTwice("http://x/") // reported where ping builds it
}

type proxies struct {
	rp map[string]*httputil.ReverseProxy
}

func (p *proxies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.rp[r.Host] == nil {
		p.rp[r.Host] = &httputil.ReverseProxy{Transport: newTransport()}
	}
	p.rp[r.Host].ServeHTTP(w, r)
}
