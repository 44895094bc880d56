// Package lostclose defines an Analyzer that reports resources a function
// creates and then loses without closing them.
//
// # Analyzer lostclose
//
// lostclose: report resources that are created and then lost without being closed, returned, stored or handed to an owner
//
// Incident: Traefik v3.1.5, traefik/traefik#11119.
//
// A value whose Close or Release releases something the garbage collector
// cannot (a wazero runtime or module, a middleware that owns one, a file, a
// connection, an encoder running goroutines) must be closed by whoever owns
// it. When a function creates one and lets it go, it leaks, and in a proxy
// the function usually runs on every configuration reload or request.
//
// The incident: Traefik v3.1.5 (traefik/traefik#11119), in
// pkg/plugins/middlewarewasm.go, built a Wasm plugin middleware on every
// configuration reload with mw, err := wasm.NewMiddleware(...) and returned
// mw.NewHandler(ctx, next). Only the derived handler escaped, and it has no
// Close, so nothing could ever close mw or its wazero runtime: memory grew
// with every reload. v3.1.6 attaches a finalizer to the handler that closes
// mw.
//
// The check asks passes/lifetime, the suite's one ownership model, for the
// resources each function creates (the results of calls that return a new
// resource, known across packages through the model's facts; goroutine-backed
// writers are logwriter's and transports idletransport's) and reports the
// call when some path from it reaches a return of the function without the
// resource being
//   - closed (Close, Release, Stop or Shutdown called or deferred, directly,
//     in a function literal, or by a helper that releases its argument; for
//     a value with none of these, a Cancel, Quit, Kill or similar method,
//     a transaction's Rollback or Commit, or a release verb with a
//     qualifier such as StopAndWait, whose body releases something, such
//     as closing the channel its goroutine waits on); or waited for with a
//     receive from its Done channel; or, for a value built on a view of a
//     connection (a session framed on tls.Server(c)), by closing c,
//   - returned, itself or as a method value (return h.Handle),
//   - kept by an owner that can release it, or for the life of the process:
//     a package-level variable, a field that code of its package closes, an
//     exported field of a type its holders can close, a field of the
//     receiver or of a parameter, a map or a channel,
//   - handed to a callee that takes it on that path (the model's summary
//     of the callee; a callee with no summary, such as an interface method,
//     takes it only if its parameter's type lets it release it), also
//     inside a struct of settings (New(&Config{Conn: c})), which the callee
//     takes where it keeps what it reads from the struct's fields, or as a
//     struct copied by value into its new owner (c.fd = *fd),
//   - captured by a function literal that closes, keeps or hands it on,
//     or given to runtime.SetFinalizer or runtime.AddCleanup.
//
// A resource handed to a goroutine of the package (go handle(conn)) that
// the creating function neither closes, returns nor keeps in any other way
// is the goroutine's: every path of the goroutine's function must close it
// or hand it on, and a return that loses it is reported there, where the
// fix (often a defer at its top) goes. A listener interface's Accept returns
// a new connection the caller owns; a loop that goes round to the creating
// call again (continue) loses the value it made before.
//
// A context's cancel function stored over the one a long-lived object kept,
// on a reload path, with the old one never called, leaves the old context
// and whatever waits on it alive; go vet's lostcancel covers a cancel a
// function merely loses.
//
// A method of the resource that hands its receiver to a goroutine it starts
// (s.run() starting go s.loop()) gives the value to that goroutine. A loop
// that ranges over a ticker's or timer's channel never ends: the channel is
// never closed.
//
// What is not a resource: a Close that takes what it finishes (Close(w
// io.Writer) of a renderer drawing a table's last line), or a Close through
// a project's interface none of whose implementations that the package can
// see (its own types and its imports') releases anything (a table's
// renderers); a holder whose release method releases only what it was
// given (a rule storage closing the lists passed to it), where what it was
// given has nothing to release; a value whose Close only closes channels its
// package starts no goroutine on, or takes it out of a registry (an
// in-memory pipe: dropping both ends blocks no one; a stream dropped before
// its session's table held it); a literal of another package's resource type given no
// new resource (&net.TCPConn{}); a server whose release returns at once
// while the socket its Start opens is nil, made without one; a value
// whose release is promoted from an embedded interface or pointer that
// its constructor leaves nil (a graph node whose component is built
// later, made and dropped before that).
//
// Two resources have no release method of their own. An HTTP response
// from net/http's Client.Do, Get, Post or PostForm (or Transport.RoundTrip,
// or a helper that returns one) holds its connection until its Body is
// closed, or read to its end by io.ReadAll or io.Copy; the message then
// names the body, and a status check that returns before the Body is closed
// counts on every path, since requests run as often as their callers do. A
// HEAD response has no body. And in a package written for a Go before 1.23
// (its module's go line), a time.Ticker that is never stopped ticks for the
// life of the process; since 1.23 the garbage collector reclaims it.
//
// Replacing a resource on a reload path (a function that runs per request,
// a method that another method of its package calls again on the same
// receiver in a loop, as a writer's serve loop redialling after every
// write error, or one whose name says it reloads, refreshes, updates,
// reconfigures or applies a configuration) must release the old one: a
// store into a field of an existing object (of the resource, or of a
// holder of it such as an encoder around the connection, unless the
// resource is also kept where it is released), or an atomic.Value's or atomic.Pointer's Store, is
// reported when the function never releases (or hands on) the value it
// replaces — it never reads it, with a Load, a Swap, a load of the field or
// a function of the package that returns one, or releases nothing it read,
// or releases it only where a field of the old value differs from the same
// field of the new one (when they share that part, the old value and the
// rest of what it holds leak). A Swap whose result is dropped is the same
// loss. A Store reached only where the old value was nil (lazy set-up), the
// first value of a new object, and a sync.Map entry (one per key, a
// registry) are not replacements.
//
// A hand-off to an owner that cannot release (a struct with no Close, a
// bufio.Reader on a connection, a helper that only keeps it in its result)
// does not count: the resource is lost with that holder.
//
// A value whose only use is one call of a method that runs it for its life
// (Serve, ServeTLS, ListenAndServe, ListenAndServeTLS, Run or Start, as in
// return NewServer(cfg).Start()) is not reported: when that call returns
// the value has stopped. Creations merged into one variable on alternative
// paths (conn, err = DialA() on one branch, DialB() on another) and lost by
// the same return are one finding, at that return.
//
// A call of a method of the value that releases it on every path that
// returns, whatever its name, releases it: one that calls the value's own
// Close on every path (defer c.Close()), or that closes every field the
// type's release method closes (a session's serve loop closing its
// connection before it returns).
//
// Paths on which the creation failed (err != nil, or the value is nil) do
// not count, nor paths that no run takes: a flag the path has set, or a
// condition the function tests again (if cfg.Admin { c = dial() } ... if
// cfg.Admin { a.conn = c }), goes the way the path has fixed, unless the
// function stores to what the condition reads in between. Calling other methods of the resource does not take it: that
// is how the incident loses mw, which only lends itself to NewHandler.
// Results discarded with _ are not reported.
//
// Cross-package ownership is decided by facts, so that closing helpers,
// constructors that take ownership and wrappers in other packages do not
// produce findings. The message names the return that loses the value, says when
// only a value derived from it escapes, and how often the function runs
// when that is known (per request, per handler build).
//
// Fix: close the resource on the path (often a defer after the error
// check, or a Close before an early error return), return or store it, or,
// when only a derived value outlives the function, attach a cleanup to that
// value:
//
//	h := mw.NewHandler(ctx, next)
//	runtime.AddCleanup(h, func(mw wasm.Middleware) { _ = mw.Close(context.Background()) }, mw)
//
// Suppress a finding with //lint:ignore lostclose reason.
//
// Bad: the connection is lost on the error return after it.
//
//	c, err := net.Dial("tcp", addr)
//	if err != nil {
//		return err
//	}
//	if err := handshake(c); err != nil {
//		return err
//	}
//
// Good: closed on every path that does not hand it on.
//
//	if err := handshake(c); err != nil {
//		c.Close()
//		return err
//	}
package lostclose
