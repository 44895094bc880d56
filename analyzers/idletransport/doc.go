// Package idletransport defines an Analyzer that reports HTTP transports
// built on a per-call path whose idle connections nothing ever closes.
//
// # Analyzer idletransport
//
// idletransport: report HTTP transports built per request, connection or loop iteration and never reused nor released
//
// Incident: Rancher v2.10.3, rancher/rancher#49592.
//
// An http.Transport (or an x/net/http2.Transport) keeps the connections it
// dialled in an idle pool for reuse. With no IdleConnTimeout an idle
// connection stays open until the peer closes it, and each one holds the
// transport's reader and writer goroutines, the connection's buffers, and,
// behind a tunnel, the goroutines of every hop. A transport built once and
// reused is fine: its pool is bounded by the number of hosts it talks to. A
// transport built again and again, and dropped, leaves its idle connections
// behind on every call: dropping the transport does not close them.
//
// Rancher v2.10.3 and v2.10.4 built, in (*Handler).next of
// pkg/api/steve/proxy/proxy.go, run for every request to a downstream
// cluster,
//
//	Transport: &http.Transport{
//		DialContext: h.dialer,
//	},
//
// Every request dialled a new connection through the remotedialer tunnel;
// the transport kept it idle forever, so the tunnel's per-connection
// goroutines (clientDial, pipe) piled up on both ends and memory grew until
// restart (rancher/rancher#49592). v2.10.5 clones http.DefaultTransport,
// whose IdleConnTimeout is 90 seconds.
//
// The check asks passes/lifetime, the suite's one ownership model, for the
// transports each function builds (a composite literal, new, a Clone, the
// result of a function that returns a new transport or a client or round
// tripper holding one, across packages through the model's facts) and
// reports one when
//
//   - it is built on a per-call path: an HTTP handler or ServeHTTP method, a
//     RoundTrip method, a function taking a connection, a function building
//     a handler or round tripper, a loop iteration (outside main and init),
//     or a function called from one of these in its package, as
//     passes/reqscope classifies them; or it is lost on every call of a
//     function whose frequency is unknown;
//   - nothing releases it: no CloseIdleConnections call (deferred or not) on
//     it or on a client holding it;
//   - it is not kept for reuse: stored in a global, in a field of a receiver
//     or parameter, in a map, sent on a channel, stored in a sync.Map or an
//     atomic value, or returned to a caller who owns it. A holder that cannot
//     release it (an httputil.ReverseProxy, a client-go rest.Config, a
//     struct with no release method) keeps it only as long as the holder
//     itself is kept;
//   - and it keeps idle connections of its own: DisableKeepAlives or a
//     negative MaxIdleConnsPerHost keeps none; a transport used only for
//     NewClientConn on a connection its user dialed, or whose dial function
//     only hands back a connection it captured, pools nothing that
//     connection's owner does not close (here or in any helper it is built
//     in). An idle timeout (a positive or unknown
//     IdleConnTimeout, or a Clone of http.DefaultTransport) excuses a
//     transport handed on to serve many requests (a handler built per
//     reload), but not one built to send one request and dropped: that pool
//     is never reused, and every call opens new connections that sit idle
//     with two goroutines each until the timeout.
//
// A function of another package that builds and drops a transport on every
// call is reported where it is called on a per-call path.
//
// Replaced: a transport with no idle bound (or a value of the package
// wrapping one, such as a round tripper with no release of its own) stored
// into a field of a long-lived object on a per-request or reload path, over
// the transport stored before, is reported at the transport's literal (in
// the helpers that build it, however deep in the package) when the function
// neither releases the old one nor reaches the store only where the field
// was nil (the lifetime model's Overwrites: an old value read from the field,
// or a field of it, closed or handed on counts; so does an object just made,
// x = &T{}; x.f = t). A gateway rotating each API's transport every few
// minutes without CloseIdleConnections on the old one leaks every replaced
// pool (Tyk's per-API transports).
//
// Accepted:
//
//	t := http.DefaultTransport.(*http.Transport).Clone(); rp := &httputil.ReverseProxy{Transport: t} // per reload
//	t := &http.Transport{DialContext: d}; defer t.CloseIdleConnections()
//	h.transports[key] = &http.Transport{DialContext: d} // cached
//
// and a transport that speaks only HTTP/1 (it sets a TLS config or a dial
// function, without ForceAttemptHTTP2) whose every response body is closed
// unread: net/http closes such a connection rather than pool it. A
// transport that is handed back on success, itself or in a value with a
// CloseIdleConnections or Close method, and lost only on returns of a
// surely non-nil error (one just made, or one tested non-nil on the way),
// with no request sent through it in the function, has no connection to
// keep idle: a constructor that gives up when an option fails to wrap it.
//
// Not analysed: test files, and loops in main and init, whose trip count is
// bounded by their input rather than by traffic. Values the check cannot
// see (an IdleConnTimeout from configuration) count as bounds.
//
// To fix, build the transport once and reuse it, clone
// http.DefaultTransport, or set IdleConnTimeout. Where the transport is a
// composite literal, the suggested fix adds IdleConnTimeout: 90 * time.Second
// (http.DefaultTransport's value) and the time import.
//
// Bad: a new pool of idle connections for every request.
//
//	func fetch(u string) (*http.Response, error) {
//		c := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConf}}
//		return c.Get(u)
//	}
//
// Good: one transport for the process.
//
//	var client = &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConf, IdleConnTimeout: 90 * time.Second}}
//
// To suppress a finding, write //lint:ignore idletransport REASON on its
// line or the line before the statement.
package idletransport
