// Package idletransport defines an Analyzer that reports HTTP transports
// built on a per-call path whose idle connections nothing ever closes.
//
// # Analyzer idletransport
//
// idletransport: report HTTP transports built per request, connection or loop iteration with no idle bound
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
// The check reports a new http.Transport or http2.Transport (a composite
// literal, new, or the result of a function known to return one) when
//
//   - it is built on a per-call path: an HTTP handler or ServeHTTP method, a
//     RoundTrip method, a function taking a connection, a function building
//     a handler or round tripper, or a loop iteration (outside main and
//     init), as passes/reqscope classifies them; and
//   - it has no idle bound: no positive IdleConnTimeout, no
//     DisableKeepAlives, no negative MaxIdleConnsPerHost; and
//   - nothing releases it: no CloseIdleConnections call (deferred or not) on
//     it or on a client holding it; and
//   - it is not kept for reuse: stored in a global, in a field of a receiver
//     or parameter, in a map, sent on a channel, or stored in a sync.Map, an
//     atomic value, or a cache method (Store, Add, Set, Put, ...) of a
//     long-lived value.
//
// A transport held by something else (an http.Client, a configuration, a
// reverse proxy, a closure) is followed through that holder. A function
// that returns a new unbounded transport (or a client or round tripper
// holding one) hands it to its caller: the check records a fact and reports
// the call where the caller builds it per call and drops it. A function
// whose every call builds and drops such a transport is reported where it
// is called on a per-call path.
//
// Accepted:
//
//	t := http.DefaultTransport.(*http.Transport).Clone() // 90s idle timeout
//	t := &http.Transport{DialContext: d, IdleConnTimeout: 30 * time.Second}
//	t := &http.Transport{DialContext: d}; defer t.CloseIdleConnections()
//	h.transports[key] = &http.Transport{DialContext: d} // cached
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
// To suppress a finding, write //lint:ignore idletransport REASON on its
// line or the line before the statement.
package idletransport
