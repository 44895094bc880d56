package a

import (
	"context"
	"net/http"
	"time"
)

// A library option that takes a transport factory, called per request (the
// groupcache shape): every call of the factory builds a transport that the
// library gets as an http.RoundTripper and cannot release.
type peerOptions struct {
	Transport func(context.Context) http.RoundTripper
}

func newPeers(o *peerOptions) { _ = o }

func perPeerTransport(_ context.Context) http.RoundTripper {
	return &http.Transport{MaxIdleConns: 10} // want `a new http.Transport is built on every call of perPeerTransport, a function handed out as a value that returns it as an http.RoundTripper its callers cannot release`
}

func setupPeers() { newPeers(&peerOptions{Transport: perPeerTransport}) }

// Fixed: the factory returns one transport for the process.
var peerTransport = &http.Transport{MaxIdleConns: 10}

func sharedPeerTransport(_ context.Context) http.RoundTripper { return peerTransport }

func setupPeersFixed() { newPeers(&peerOptions{Transport: sharedPeerTransport}) }

// A factory returning a transport whose idle connections time out (a
// clone of a configured one, kept by its caller for a client connection's
// life): what each call leaves ends within the timeout.
var configured = &http.Transport{MaxIdleConns: 10, IdleConnTimeout: 90 * time.Second}

func boundedPeerTransport(_ context.Context) http.RoundTripper {
	return &http.Transport{MaxIdleConns: 10, IdleConnTimeout: 90 * time.Second}
}

func setupBoundedPeers() { newPeers(&peerOptions{Transport: boundedPeerTransport}) }

// A factory its own package calls is judged at those calls.
func directTransport() http.RoundTripper { return &http.Transport{MaxIdleConns: 10} }

var direct = directTransport()

// A worker that builds its client once and polls through it until its
// context ends (coredns' health prober): the transport is reused for the
// worker's whole life.
func probeLoop(ctx context.Context, url string) {
	tr := &http.Transport{MaxIdleConns: 10}
	client := &http.Client{Transport: tr}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if resp, err := client.Get(url); err == nil {
				resp.Body.Close()
			}
		}
	}
}

// A helper that builds one per request: lost on every call.
func fetchOnce(url string) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 10}} // want `a new http.Transport is built on every call of fetchOnce`
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A helper builds the transport that each scrape hands to a fetcher (the
// planet-exporter shape): the helper's literal says it keeps idle
// connections with no bound.
func insecureTransport() (*http.Transport, error) {
	return &http.Transport{MaxIdleConns: 10}, nil
}

func fetchWith(url string, rt http.RoundTripper) error {
	c := http.Client{Transport: rt}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func scrape(url string) error {
	t, err := insecureTransport() // want `the new transport from a.insecureTransport is built on every call of scrape`
	if err != nil {
		return err
	}
	return fetchWith(url, t)
}

// With an idle bound in the helper, what the fetcher leaves idle times out.
func boundedTransport() (*http.Transport, error) {
	return &http.Transport{MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second}, nil
}

func scrapeBounded(url string) error {
	t, err := boundedTransport()
	if err != nil {
		return err
	}
	return fetchWith(url, t)
}
