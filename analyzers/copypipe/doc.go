// Package copypipe defines an Analyzer that reports bidirectional copies
// between two connections that can leave one direction blocked forever.
//
// # Analyzer copypipe
//
// copypipe: report connection pipes where one direction ending does not close the other
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
// The check pairs io.Copy and io.CopyBuffer calls (direct, started with go,
// or through a function of the package that copies between its
// parameters) whose source and destination are crossed, and reports
//
//   - a copy running in a goroutine after which nothing closes either
//     connection (directly, through a closure or helper it calls, or in a
//     deferred call), while the other direction runs in the function that
//     started it;
//   - a copy in the starting function that, when it returns, waits for the
//     other goroutine (a channel receive, a select, a WaitGroup) before
//     closing anything;
//   - a copy in the starting function after which nothing closes
//     connections that the function made itself (dialled or accepted);
//   - both directions in goroutines when neither they nor the function that
//     started them ever closes connections it made itself (for instance a
//     function that returns on ctx.Done() leaving both copies running).
//
// Accepted: a close, CloseWrite, CloseRead, SetDeadline or SetReadDeadline of
// either connection, a call of a function whose name contains "close" with
// either connection, a context cancel, or a function literal doing any of
// these, after the copy or deferred. When the connections are parameters of
// the function that runs the last copy and it returns without waiting, its
// caller may close them, and the check stays silent.
//
// Read/write loops written by hand are not recognised.
//
// To fix, close both connections when either copy returns, as
// remotedialer's pipe does, or half-close: on EOF from one side, CloseWrite
// the other side's connection.
//
// To suppress a finding, write //lint:ignore copypipe REASON on its line or
// the line before the statement.
package copypipe
