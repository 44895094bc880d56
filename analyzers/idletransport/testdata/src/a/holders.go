package a

import (
	"context"
	"net"
	"net/http"
	"time"
)

// A transport assigned through a field of a new object's client
// (n.client.Transport = t): the object is returned, and its Close releases
// the client's idle connections.
type hookNotifier struct {
	url    string
	client *http.Client
}

func newHookNotifier(url, socket string) *hookNotifier {
	n := &hookNotifier{url: url, client: &http.Client{Timeout: 5 * time.Second}}
	if socket != "" {
		n.client.Transport = &http.Transport{ // kept by the returned notifier
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", socket)
			},
		}
	}
	return n
}

func (n *hookNotifier) Fire() error {
	resp, err := n.client.Get(n.url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (n *hookNotifier) Close() error {
	n.client.CloseIdleConnections()
	return nil
}

// A transport wrapped in a round tripper of the package and returned in a
// client: a factory, whose callers decide how often it runs.
type agentTransport struct {
	rt    http.RoundTripper
	agent string
}

func newAgentTransport(t *http.Transport, agent string) *agentTransport {
	return &agentTransport{rt: t, agent: agent}
}

func (t *agentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", t.agent)
	return t.rt.RoundTrip(req)
}

func newAgentClient() *http.Client {
	tr := newAgentTransport(&http.Transport{}, "agent/1.0") // returned inside the client
	return &http.Client{Timeout: time.Minute, Transport: tr}
}
