package a

import (
	"net"

	"golang.org/x/net/http2"
)

// An HTTP/2 transport used only to make a client conn on a connection the
// caller dialed (a CONNECT over h2): that client conn is not in the
// transport's pool, so the transport keeps nothing idle.
func h2Connect(raw net.Conn) (*http2.ClientConn, error) {
	t := http2.Transport{}
	cc, err := t.NewClientConn(raw)
	if err != nil {
		raw.Close()
		return nil, err
	}
	return cc, nil
}

// Used for round trips, the same transport pools connections.
func h2Pooled() *http2.Transport {
	t := &http2.Transport{} // want `a new http2.Transport is built on every call of h2Pooled`
	t.RoundTrip(nil)
	return nil
}
