package a

import (
	"net/http"
	"net/http/httputil"
)

// A factory: the caller owns what it returns.
func newTransport() *http.Transport { // want newTransport:`returnsTransport\(http.Transport at facts.go:10\)`
	return &http.Transport{}
}

func newClient() *http.Client { // want newClient:`returnsTransport\(http.Transport at facts.go:14\)`
	return &http.Client{Transport: &http.Transport{}}
}

// A function of unknown frequency that builds and drops a transport.
func ping(url string) { // want ping:`leaksTransport\(http.Transport at facts.go:19\)`
	c := &http.Client{Transport: &http.Transport{}}
	if resp, err := c.Get(url); err == nil {
		resp.Body.Close()
	}
}

func pingTwice(url string) { // want pingTwice:`leaksTransport\(http.Transport at facts.go:19\)`
	ping(url)
	ping(url)
}

func useFactory(w http.ResponseWriter, r *http.Request) {
	t := newTransport() // want `the new http.Transport returned by newTransport \(built at facts.go:10\) is built on every request`
	t.RoundTrip(r)
}

func useClientFactory(w http.ResponseWriter, r *http.Request) {
	c := newClient() // want `returned by newClient`
	c.Get("http://x/")
}

func useFactoryReleased(w http.ResponseWriter, r *http.Request) {
	c := newClient()
	defer c.CloseIdleConnections()
	c.Get("http://x/")
}

func useLeaker(w http.ResponseWriter, r *http.Request) {
	pingTwice("http://x/") // want `pingTwice builds a new http.Transport \(at facts.go:19\)`
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
