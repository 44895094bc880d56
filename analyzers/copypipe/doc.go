// Package copypipe defines an Analyzer that reports bidirectional copies
// between two connections that can leave one direction blocked forever.
//
// # Analyzer copypipe
//
// copypipe: report connection pipes where one direction ending does not close the other
//
// Incident: rancher/remotedialer, Rancher v2.10.3.
//
// A proxy joins two connections with two copies, one per direction, at
// least one of them in its own goroutine:
//
//	go func() { io.Copy(server, client) }()
//	io.Copy(client, server)
//
// When one direction ends (its source reached EOF or failed), the other copy
// is still blocked reading its own source. Unless something then closes a
// connection, half-closes the destination (CloseWrite), sets a deadline or
// cancels a context the other direction honours, that read can wait
// forever, and the goroutine, both connections and their buffers with it.
// Behind a tunnel every hop's goroutines pile up the same way: Rancher's
// incident (rancher/rancher#49592) showed remotedialer's clientDial and pipe
// goroutines by the thousand. remotedialer's own pipe (v0.4.0
// client_dialer.go) is the correct shape: each direction, when its copy
// returns, calls a closure that closes both ends.
//
// A copy is anything that moves bytes from a reader to a writer: io.Copy,
// io.CopyBuffer, io.CopyN, a ReadFrom or WriteTo method, a loop that reads
// from one value and writes to another, or a call of a helper that does one
// of these between two of its parameters (in this package or, through
// facts, in another). The check pairs copies whose source and destination
// are crossed, whatever their types (net.Conn, io.ReadWriteCloser, a stream
// of a tunnel or multiplexer, a hijacked connection), following values
// through closures, captured variables, literals started with arguments
// (go func(c net.Conn) {...}(conn)) and methods started with go. It reports
//
//   - a copy running in a goroutine after which nothing closes,
//     half-closes or arms a deadline on either connection on every path
//     (directly, through a closure or helper, or deferred), while the other
//     direction runs in the function that started it: a close only on the
//     error path leaves the other direction blocked after a clean EOF;
//   - a copy in the starting function that, when it returns, waits for the
//     other goroutine (a channel receive, a select, a WaitGroup) before
//     closing anything;
//   - a copy in the starting function after which nothing closes, on every
//     path, connections that the function made itself (dialled or accepted);
//   - both directions in goroutines, when the function that started them
//     returns on a cancellation or timer case of a select while both copies
//     still run and closes neither connection on that path (even its
//     parameters: its caller is told it is done while the copies still use
//     them);
//   - both directions in goroutines, when the starter waits for both of them
//     (a WaitGroup, two receives or a receive in a loop) and neither
//     direction closes, half-closes or arms a deadline when it ends: a peer
//     that goes silent blocks the other direction, and the wait, forever;
//   - both directions in goroutines, when neither they nor the starter close
//     connections the starter made itself on every path;
//   - both directions in goroutines that report on a channel made by the
//     starter: when, on every run, they send more values on it than its
//     buffer holds plus the receives of the starter (make(chan error), two
//     directions sending their copy's error, one receive for the first to
//     end), the extra sends block forever after both copies ended, and
//     their goroutines leak with what they hold. Sends are counted on the
//     paths every run takes, through deferred calls and helpers of the
//     package; a send in a select, a send on some paths only, a channel
//     received elsewhere or in a loop, closed or handed away is not
//     judged;
//   - copiers: a function that starts a goroutine per element of a slice of
//     copier values (go cc[i].copy(...) in a loop, where copy is a method
//     copying between two fields of its receiver) and waits for all of
//     them, when the method does not close, half-close or arm a deadline
//     on every path after its copy (a half-close only where the
//     destination supports CloseWrite), nothing the starter runs after
//     starting them closes the elements (a forced close after a grace
//     period counts), and some caller passes crossed copiers (one's
//     destination is the other's source): a relay's directions, not
//     independent copies.
//
// Goroutines are started with go, or by handing a function to
// errgroup.Group's Go or sync.WaitGroup's Go; errgroup's Wait waits for
// them. A direction that, when it ends, only cancels a context, while the
// starter waits for both, stops the other only if the starter first waits
// on a context and then closes the connections.
//
// Accepted: a Close, CloseWrite, CloseRead, SetDeadline or SetReadDeadline of
// either connection, a call of a function whose name contains "close" with
// either connection, a context cancel, or a function literal doing any of
// these (called, or handed to a function that runs it, as once.Do(closeBoth)),
// on every path after the copy or deferred. A hand-written copy loop that
// arms a deadline on its source before every read ends by itself within
// that timeout, so the direction left running is no leak. When the connections are
// parameters of a function that returns after the first direction ends (no
// cancellation case), its caller may close them, and the check stays silent.
// A half-close when each direction ends is accepted: the peer sees EOF.
//
// Facts: copiesParams(dst<-src ends=bool) on a function that copies between
// two of its parameters and starts no goroutine; ends says whether it stops
// the other direction on every path after the copy.
//
// To fix, close both connections when either copy returns, as
// remotedialer's pipe does, or half-close: on EOF from one side, CloseWrite
// the other side's connection.
//
// Bad: when the client stops sending, nothing ends the other direction.
//
//	go io.Copy(upstream, client)
//	io.Copy(client, upstream)
//
// Good: either direction's end closes both connections.
//
//	go func() { io.Copy(upstream, client); upstream.Close(); client.Close() }()
//	io.Copy(client, upstream)
//	upstream.Close()
//	client.Close()
//
// To suppress a finding, write //lint:ignore copypipe REASON on its line or
// the line before the statement.
package copypipe
