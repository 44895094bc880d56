package a

import (
	"context"
	"net/http"
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

// A factory its own package calls is judged at those calls.
func directTransport() http.RoundTripper { return &http.Transport{MaxIdleConns: 10} }

var direct = directTransport()
