package a

import (
	"errors"
	"fmt"
	"net/http"
)

type wrapper interface {
	Wrap(base http.RoundTripper) (http.RoundTripper, error)
}

// closingRT releases the transport it carries.
type closingRT struct {
	http.RoundTripper
	t *http.Transport
}

func (c closingRT) CloseIdleConnections() { c.t.CloseIdleConnections() }

// The transport is handed back in a holder that can release it; the only
// returns that drop it give up before it has carried a request.
func buildWrappedRT(w wrapper, ok bool) (http.RoundTripper, error) {
	t := &http.Transport{Proxy: http.ProxyFromEnvironment}
	var rt http.RoundTripper = t
	if w != nil {
		wrapped, err := w.Wrap(rt)
		if err != nil {
			return nil, fmt.Errorf("wrap: %w", err)
		}
		rt = wrapped
	}
	if !ok {
		return nil, errors.New("not configured")
	}
	return closingRT{RoundTripper: rt, t: t}, nil
}

// A probe sent through the transport before giving up opens a connection
// that the dropped transport keeps idle.
func buildProbedRT(w wrapper, url string) (http.RoundTripper, error) {
	t := &http.Transport{Proxy: http.ProxyFromEnvironment} // want `a new http.Transport is built`
	resp, err := (&http.Client{Transport: t}).Get(url)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("probe: %s", resp.Status)
	}
	return closingRT{RoundTripper: t, t: t}, nil
}

// pairRT holds two transports and cannot release either.
type pairRT struct{ h1, h2 *http.Transport }

func (p *pairRT) RoundTrip(r *http.Request) (*http.Response, error) { return p.h1.RoundTrip(r) }

// Handed back on success in a holder that cannot release it: the failing
// return excuses nothing.
func buildPairRT(ok bool) (http.RoundTripper, error) {
	h1 := &http.Transport{} // want `a new http.Transport is built every time buildPairRT builds a handler`
	if !ok {
		return nil, errors.New("not configured")
	}
	return &pairRT{h1: h1, h2: http.DefaultTransport.(*http.Transport)}, nil
}
