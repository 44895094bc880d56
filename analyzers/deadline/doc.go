// Package deadline defines an Analyzer that reports proxy I/O and HTTP
// servers that can stall forever because no timeout is armed.
//
// # Analyzer deadline
//
// deadline: report connection copies, tunnel handshakes and http.Servers that can stall forever with no deadline
//
// Incident: HAProxy 2.8 (fixed in 2.8.13), its Go analog.
//
// HAProxy 2.8 (fixed in 2.8.13) kept about 2000 long-lived TCP streams with
// no expiry: when the server side failed, sends blocked, the blocked send was
// never reported, so the write timeout was never armed, and TCP socket memory
// grew until the host was restarted. In Go the same failure is a copy or a
// read on a network connection with no deadline: when the peer stops reading
// (or stops sending) the goroutine blocks forever and holds both
// connections, its buffers and the kernel's socket buffers.
//
// The check has two parts, each with a flag to turn it off.
//
// Connections (-deadline.conn, on by default). It reports
//
//   - a copy between two connections (io.Copy, io.CopyBuffer, or a loop
//     that reads from one connection and writes to another, including
//     gorilla-style websocket ReadMessage/WriteMessage loops and bufio
//     wrappers of connections), and
//   - a handshake read (Read, io.ReadFull, a bufio.Reader read,
//     http.ReadRequest/ReadResponse, tls.Conn.Handshake) on a connection that
//     is then kept as a tunnel (returned, relayed or handed to a goroutine),
//
// when every connection involved was just dialed or accepted (net.Dial,
// net.Dialer.DialContext, tls.Dial, a Listener's Accept, a websocket Dial
// or Upgrade, a Dial function of another package returning a net.Conn, a
// stream opened on a tunnel or multiplexer with OpenChannel, OpenStream or
// AcceptStream, or a function that returns a new connection, in any
// package, by the lifetime model's summary of its code, and arms no
// deadline on it first; a
// connection dialed by one of several dialers on different paths counts) or
// is a parameter whose callers pass such a connection, and no deadline is armed
// on any of them before the operation on that path. "Armed" means
// SetDeadline, SetReadDeadline or SetWriteDeadline with a non-zero time
// (clearing a deadline with time.Time{} disarms it), directly, through a
// tls.Conn or bufio wrapper, in a closure, in a caller, or in a helper of
// any package that arms a deadline on its parameter (known through facts).
// A deadline reset inside the copy loop counts. A connection that is closed
// by a goroutine waiting on a context or timer, or by context.AfterFunc or
// time.AfterFunc, counts as guarded too.
//
// A function that copies between its parameters is not reported itself:
// its callers decide, where they pass it connections they dialed or accepted
// with no deadline. When the helper is in the same package the finding is at
// its copy (the line to change), once per caller, naming the caller; when
// it is in another package, at the call. A handshake read also counts when a
// protocol parser is handed a bufio view of the connection
// (res.Read(bufio.NewReader(conn))), or when it reads a view of the
// connection: a reader that peeks at its first bytes, a wrapper joining a
// tunnel's stream to the connection under it (a function whose result,
// by the lifetime model, closes its argument when closed). A view whose
// own Read or Write arms a deadline (an idle-timeout wrapper) is a
// connection of its own, guarded.
//
// Handlers no caller can be seen for: a handshake read on a connection a
// function is given (a parameter, or a field of a struct parameter, such as
// the stream a tunnel hands a plugin) is reported at the read, with no
// caller to decide, when the function is reached only dynamically — a
// method of a type the package converts to an interface naming it, or a
// function used as a value (a handler registered in a map), with no static
// call in the package — and the connection is kept after the read (relayed,
// handed to a goroutine, sent on a channel, or passed to a callee that
// keeps it). Its callers go through the interface and cannot know the
// implementation reads a handshake, so the implementation is where the
// deadline belongs (frp's HTTP-proxy plugin, fixed by arming one). A
// connection read once and closed is not a tunnel and stays silent, and so
// is a handler given a bare io.Reader or io.ReadWriter: it cannot arm a
// deadline, its stream's owner must.
//
// Sessions: a write (Write, WriteMessage, WriteJSON, NextWriter) on a
// connection held in a struct field of the package, which the package reads
// in a loop (the connection of a long-lived FIX, MQTT or websocket session),
// when no write or full deadline is armed on that field anywhere in the
// package and the field is never handed to code that might arm one: when the
// peer stops reading, the write blocks forever with every sender queued
// behind it. Only fields of an interface type or of another package's
// connection type are considered (a wrapper type of the package may arm
// deadlines in its own methods), and not fields of a struct that is itself
// a connection wrapper (it has SetWriteDeadline, often promoted from an
// embedded net.Conn): whoever holds the wrapper arms its deadlines. One finding per field, at its first write. Connections of unknown provenance (fields, hijacked
// HTTP connections, which may carry the server's deadlines, values returned
// by wrappers such as idle-timeout connections) are never reported: a
// proxy's copy loop is the target, not every conn.Read.
//
// Servers (-deadline.server, on by default). It reports an http.Server
// composite literal that is served (ListenAndServe, ListenAndServeTLS,
// Serve or ServeTLS on the variable or field that holds it, or through a
// function known to serve its parameter) when
//
//   - neither ReadHeaderTimeout nor ReadTimeout is set: a client that sends
//     its headers slowly holds a connection and a goroutine forever
//     (slowloris); and, as a separate finding,
//   - neither IdleTimeout nor ReadTimeout is set: idle keep-alive
//     connections are never closed.
//
// A server whose Addr is a loopback address (127.0.0.1, ::1, localhost) or a
// local socket path is still reported, but the message ranks it "(low
// severity: loopback only)": only local clients can hold its connections.
//
// Timeouts assigned later on the same variable or field, or by a helper that
// sets them on its parameter, count. A server handed to a function value or
// an interface method, which might configure it, is not reported. A server
// that is only returned or stored where this package does not serve it is
// not reported either. It also reports http.ListenAndServe,
// http.ListenAndServeTLS, http.Serve and http.ServeTLS, which serve with a
// zero http.Server that cannot carry timeouts.
//
// Test files are never reported.
//
// Bad:
//
//	up, err := net.Dial("tcp", target)
//	...
//	go io.Copy(up, client)
//	io.Copy(client, up)
//
//	srv := &http.Server{Addr: ":8080", Handler: h}
//	srv.ListenAndServe()
//
// Good:
//
//	go copyIdle(up, client, 5*time.Minute) // SetReadDeadline before every Read
//	copyIdle(client, up, 5*time.Minute)
//
//	srv := &http.Server{Addr: ":8080", Handler: h,
//		ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
//
// The suggested fix adds ReadHeaderTimeout: 10 * time.Second to a server
// literal (and imports time if needed).
//
// To suppress a finding, write "//lint:ignore deadline reason" on the line
// before it.
package deadline
