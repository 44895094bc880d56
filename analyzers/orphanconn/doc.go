// Package orphanconn defines an Analyzer that reports hand-offs between
// goroutines that leak when the receiver stops waiting.
//
// # Analyzer orphanconn
//
// orphanconn: report goroutine hand-offs that leak a goroutine or a connection when the receiver gives up
//
// Incident: rancher/remotedialer, Rancher v2.10.3.
//
// A common way to bound a blocking call (a dial, a request) by a context is
// to run it in a goroutine that sends its result on a channel, and to select
// on that channel and on ctx.Done() or a timer:
//
//	result := make(chan net.Conn)
//	go func() { c, _ := dial(); result <- c }()
//	select {
//	case c := <-result:
//		return c, nil
//	case <-ctx.Done():
//		return nil, ctx.Err()
//	}
//
// When the receiver gives up, nobody receives any more. With an unbuffered
// channel the sender blocks forever, and its goroutine and the connection
// it dialled leak on every timeout. With a buffered channel the sender
// finishes, but a connection delivered after the receiver left is never
// closed. remotedialer's Session.serverConnectContext is the correct
// shape: a channel of capacity 1, and on ctx.Done() a goroutine that
// receives the late result and closes its connection.
//
// The check follows each channel made in a function (through closures,
// captured variables and goroutines started with it as an argument) and,
// when a blocking select receives from it next to a ctx.Done(), timer or
// time.After case, reports
//
//   - each plain send, in another goroutine, on an unbuffered channel;
//   - a buffered channel with fewer places than the sends that can happen
//     (counted per path: two sends on exclusive paths, each followed by a
//     return, are one; goroutines started in a loop are not counted);
//   - a buffered channel of connections (or of values holding something
//     with a Close method) that nothing drains after giving up.
//
// Where a buffer is the whole fix (the values hold nothing to close and the
// number of sends is known), the finding carries a suggested fix that gives
// the channel that capacity: make(chan error) becomes make(chan error, 2).
//
// A channel the function returns is followed into its callers in the
// package: a fan-out that returns its unbuffered result channel to a caller
// that selects on it and on ctx.Done() leaks every sender the caller stops
// waiting for.
//
// It also reports a plain receive from a channel made in the function that
// is never sent to, never closed and never handed to anyone who could, so
// that the receive can never complete (main and init are exempt, where
// blocking forever is deliberate); and, in a function that runs per request
// or connection, a plain receive from a channel that the goroutines it
// started send on only on some of their paths (an error sent only when a
// copy fails, while a copy that ends cleanly sends nothing): the sends
// certain on every path that returns are counted (through deferred calls
// and the package's helpers; a path through os.Exit, log.Fatal or a
// logger's Fatal or Panic does not return), and when they are fewer than
// the receives, the receiver waits forever once its goroutines end without
// sending.
//
// Channel fields: a receive (plain, or a select case) from an unexported
// channel field of a struct of the package that nothing in the package ever
// assigns is a receive from a nil channel: it never completes, and a stop
// case that waits on it never fires. The same holds for a field that is only
// ever assigned a fresh make(chan ...) and that nothing in the package sends
// on, closes or hands away. A receive reached only where the field was
// seen non-nil (an optional hook: if ch != nil { <-ch }) and a select with
// a default case cannot block, and a case beside one on a context's Done
// channel that leaves the loop stops nothing: none is reported. A send
// that runs only once a panic was recovered (if r := recover(); r != nil)
// is not counted among a goroutine's sends.
//
// Ignored cancellation: a function that selects on a context's Done channel
// (for instance a non-blocking check) and then blocks in a select whose
// every case receives from a channel another party sends on or closes (a
// field, or a channel it stored or handed away) without a ctx.Done() case:
// when the context ends first, the other party is gone and the select waits
// forever. A select inside the cancellation case (a deliberate drain) is not
// reported, nor is a worker loop whose context comes with the job it
// received (that context ends the job's wait, not the loop).
//
// Accepted: another receive from the channel (a drain, in a goroutine or
// not), a send written as a select case (which can give up too), a closed
// channel, a channel that escapes where the check cannot follow (stored,
// passed to a function, returned), a capacity not known at compile time;
// exported fields (another package may assign them) and fields assigned a
// channel from elsewhere.
//
// To fix, make the channel buffered and, when giving up, start a goroutine
// that receives the late result and closes its connection; or write the
// send as a select that also waits on ctx.Done().
//
// Test files are not analysed: a goroutine a test leaks ends with the test
// binary.
//
// Bad: after a timeout nobody receives, and the dialing goroutine blocks on
// its send forever, holding the connection.
//
//	ch := make(chan net.Conn)
//	go func() { c, _ := net.Dial("tcp", addr); ch <- c }()
//	select {
//	case c := <-ch:
//		return c, nil
//	case <-time.After(time.Second):
//		return nil, errTimeout
//	}
//
// Good: a buffer for the one send, and a late connection closed.
//
//	ch := make(chan net.Conn, 1)
//	// on timeout: go func() { if c := <-ch; c != nil { c.Close() } }()
//
// To suppress a finding, write //lint:ignore orphanconn REASON on its line
// or the line before the statement.
package orphanconn
