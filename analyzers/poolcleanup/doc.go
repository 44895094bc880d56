// Package poolcleanup defines an Analyzer that reports values entering a
// sync.Pool while they own a resource that nothing releases when the pool
// drops them.
//
// # Analyzer poolcleanup
//
// poolcleanup: report pooled values that own a resource with no cleanup to release it when the pool drops them
//
// Incident: http-wasm-host-go v0.6.0 (fixed in v0.7.0).
//
// A sync.Pool may drop any of its items at any garbage collection, silently:
// there is no eviction callback. For a pooled buffer that is the point; for a
// pooled value that owns a resource the garbage collector cannot reclaim (a
// WebAssembly module registered in its runtime, a compression encoder that
// runs goroutines, a file, a connection), every dropped item leaks that
// resource.
//
// The incident: http-wasm-host-go v0.6.0 cached guest module instances in a
// sync.Pool (with no New; Get, create on nil, Put, also through the method
// value m.pool.Put kept in the request state). When the pool dropped a
// *guest, its wazero module stayed registered in the runtime and was never
// closed, so memory grew with every eviction. v0.7.0 attaches a finalizer
// that closes the module to every guest before it can reach the pool.
//
// The check finds where values enter a pool: a call of Put, a call through
// the Put method value (kept in a variable or a struct field), a value
// merged with the result of Get ("get or create"), and the results of the
// pool's New function. For each value created in the package that enters
// one, it reports the creation when the value's type, or a field of it,
// is a resource, and no runtime.SetFinalizer or runtime.AddCleanup is
// attached to the value on every path from its creation to the pool.
//
// A type is a resource when its Close or Release method releases something
// the garbage collector cannot (facts computed by passes/lifetime: it closes
// a channel, deletes from a registry, calls a cancel function, closes a
// descriptor, or delegates to an abstract Close), or when it is a named
// interface that describes a specific resource (net.Conn, a wazero
// api.Module; io.Closer and io.ReadCloser alone do not count, nor does a
// project's interface whose implementations the package can see, its own
// types and those of its imports, the standard library's included, release
// nothing: a compressor interface met only by gzip's writer). io.NopCloser,
// bytes.Buffer, bufio and gzip writers are not resources: pooling them is
// the intended use of sync.Pool.
//
// Accepted:
//   - a finalizer or cleanup attached to the value on every path before it
//     can reach the pool, in the creating function or in a function of the
//     package that creates and returns it;
//   - values that come from the pool's Get (they were checked where they
//     entered);
//   - values of a type that every Put of it in the package follows a
//     release of: its Close (or other release method), or a Reset given
//     only nil whose body releases (a stream encoder's Reset(nil), which
//     stops the goroutines of the stream it ran), on every path to the Put.
//     What New or a get-or-create makes is lent to its user and comes back
//     only through a Put, released; one Put without the release is enough
//     for every creation of the type to be reported;
//   - fields the package resets to nil (the pooled value no longer owns
//     the resource when it is put back), directly or through a setter it
//     calls with nil (st.reset(nil)); a type whose Close is promoted from
//     such an embedded field is judged by its other fields;
//   - fields the package fills only with values lent to it: the writer,
//     request or connection a server hands a handler, or a parameter that
//     the function only keeps in the pooled value (a per-request wrapper
//     around the server's writer owns nothing); a field of such a value
//     (the writer of the chain a middleware is handed, read directly or
//     through a variable a closure captures) is lent as the value is; a
//     parameter that no function of the package passes, kept in the
//     receiver's own fields directly or through helpers, is lent unless
//     the function closes it; what a getter returns (a method taking
//     nothing and not named as a constructor, t.Conn()) is lent;
//   - values of a struct type the package resets whole to its zero value
//     (*r = T{}, or *r = zero with zero a variable holding only the zero
//     value), as a release function does before its Put;
//   - a pointer into another value (a chain's own base writer), another
//     pool's item, or a value of a concrete type that owns nothing by
//     these same rules (a wrapper holding only lent values).
//
// A finalizer or cleanup that can never run is reported instead of being
// accepted: its function captures the object itself, the cleanup's argument
// is the object, or a goroutine started in the same function holds the
// object (a method value of it) and keeps it reachable.
//
// Fix: attach a cleanup that releases the resource to the pooled wrapper as
// soon as it is created, e.g.
//
//	g := &guest{module: mod}
//	runtime.AddCleanup(g, func(m api.Module) { _ = m.Close(context.Background()) }, mod)
//
// (runtime.AddCleanup, Go 1.24+, is preferred to runtime.SetFinalizer: its
// function must not capture g, which keeps it from resurrecting the object.)
// Alternatively, do not pool resource owners at all.
//
// Where the value is created by an assignment x := ..., the resource is a
// direct field of it and its Close takes nothing or a context.Context, the
// suggested fix adds runtime.AddCleanup(x, func(r T) { r.Close() }, x.field)
// (with context.Background() for a context) and imports runtime.
//
// Suppress a finding with //lint:ignore poolcleanup reason.
//
// Bad: a pooled decoder owns goroutines, and the pool drops it unclosed.
//
//	var decoders = sync.Pool{New: func() any { d, _ := zstd.NewReader(nil); return d }}
//
// Good: a pool that closes what it drops (or a finalizer on the pooled value
// itself, when nothing its goroutines hold keeps it reachable).
//
//	var decoders = make(chan *zstd.Decoder, 8) // Get: receive or create; Put: send or Close
package poolcleanup
