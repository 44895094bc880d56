package relay

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"time"

	"relayutil"
)

// The incident's shape: a TCP proxy that copies both ways with no deadline.
func serve(ln net.Listener, target string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", target)
			if err != nil {
				return
			}
			defer up.Close()
			go io.Copy(up, c) // want `io.Copy copies between the connection dialed by net.Dial at relay.go:23 and the connection accepted by net.Listener.Accept at relay.go:17 with no deadline on either connection: when a peer stops reading`
			io.Copy(c, up)    // want `io.Copy copies between the connection accepted by net.Listener.Accept at relay.go:17 and the connection dialed by net.Dial at relay.go:23`
		}()
	}
}

// Fixed: an idle timeout armed before every read, reset per iteration.
func serveFixed(ln net.Listener, target string, idle time.Duration) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", target)
			if err != nil {
				return
			}
			defer up.Close()
			go copyIdle(up, c, idle)
			copyIdle(c, up, idle)
		}()
	}
}

func copyIdle(dst, src net.Conn, idle time.Duration) { // want copyIdle:`armsDeadline\[0 1\]`
	buf := make([]byte, 32<<10)
	for {
		src.SetReadDeadline(time.Now().Add(idle))
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		dst.SetWriteDeadline(time.Now().Add(idle))
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

// The same hand-written loop without the deadlines.
func copyLoop(dst, src net.Conn) { // want copyLoop:`relays\(\[0 1\] via a loop of net.Conn.Read and net.Conn.Write`
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if _, err := dst.Write(buf[:n]); err != nil { // want `a loop of net.Conn.Read and net.Conn.Write in relay.copyLoop, called at relay.go:196` `a loop of net.Conn.Read and net.Conn.Write in relay.copyLoop, called at relay.go:197`
			return
		}
	}
}

// handle relays its parameter: its callers are reported.
func handle(c net.Conn, target string) { // want handle:`relays\(\[0\] via io.Copy`
	defer c.Close()
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	go io.Copy(up, c) // want `io.Copy in relay.handle, called at relay.go:101, copies between the connection accepted by net.Listener.Accept` `io.Copy in relay.handle, called at relay.go:153,`
	io.Copy(c, up)
}

func acceptLoop(ln net.Listener, target string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go handle(c, target)
	}
}

// The caller arms a deadline: silent.
func acceptLoopArmed(ln net.Listener, target string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.SetDeadline(time.Now().Add(time.Hour))
		go handle(c, target)
	}
}

// The caller arms it through a helper of another package: silent.
func acceptLoopHelper(ln net.Listener, target string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		relayutil.ArmIdle(c, time.Minute)
		go handle(c, target)
	}
}

// Configurable deadlines, armed on some paths: silent.
func acceptLoopOptional(ln net.Listener, target string, timeout time.Duration) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if timeout > 0 {
			c.SetDeadline(time.Now().Add(timeout))
		}
		go handle(c, target)
	}
}

// Armed for the handshake, then cleared before the relay: reported.
func acceptLoopCleared(ln net.Listener, target string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		greet(c)
		c.SetDeadline(time.Time{})
		go handle(c, target)
	}
}

func greet(c net.Conn) { c.Write([]byte("hello\n")) }

// A relay helper of another package, given fresh connections: reported at
// the call; given an armed one: silent.
func joinFresh(ln net.Listener, target string) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	up, err := relayutil.DialUpstream(target)
	if err != nil {
		return
	}
	relayutil.Join(c, up) // want `io.Copy in relayutil.Join \(at relayutil.go:\d+\) copies between the connection accepted by net.Listener.Accept at relay.go:\d+ and the connection from relayutil.DialUpstream`
}

func joinArmed(ln net.Listener, target string) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	up, err := relayutil.DialUpstream(target)
	if err != nil {
		return
	}
	up.SetDeadline(time.Now().Add(time.Hour))
	relayutil.Join(c, up)
}

func joinIdle(ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	relayutil.JoinIdle(c, up, time.Minute)
}

// The copy loop of this package on fresh connections.
func loopFresh(ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	go copyLoop(up, c)
	copyLoop(c, up)
}

// A bufio reader over the connection is the connection.
func buffered(ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	br := bufio.NewReader(c)
	go io.Copy(c, up) // want `io.Copy copies`
	io.Copy(up, br)   // want `io.Copy copies`
}

// Closed when the context is done: silent.
func ctxClose(ctx context.Context, ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	go func() {
		<-ctx.Done()
		c.Close()
		up.Close()
	}()
	go io.Copy(up, c)
	io.Copy(c, up)
}

func afterFunc(ctx context.Context, ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	stop := context.AfterFunc(ctx, func() { up.Close() })
	defer stop()
	go io.Copy(up, c)
	io.Copy(c, up)
}

// Closing after the copies is not a guard: reported.
func closeAfter(ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	go func() {
		io.Copy(up, c) // want `io.Copy copies`
		up.Close()
	}()
	io.Copy(c, up) // want `io.Copy copies`
	c.Close()
}

// Wrapped in an idle-timeout connection: silent.
func wrapped(ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	ic := relayutil.WithIdle(c, time.Minute)
	go io.Copy(up, ic)
	io.Copy(ic, up)
}

// Connections of unknown provenance: silent.
type proxy struct{ upstream net.Conn }

func (p *proxy) pipe(c net.Conn) { // fields are not followed: no fact
	go io.Copy(p.upstream, c)
	io.Copy(c, p.upstream)
}

// Not two connections: silent.
func toStdout(target string) {
	c, _ := net.Dial("tcp", target)
	io.Copy(os.Stdout, c)
}

// A deadline armed on the tls view arms the raw connection.
func tlsView(ln net.Listener, up net.Conn) {
	c, _ := ln.Accept()
	d, _ := net.Dial("tcp", "x")
	d.SetDeadline(time.Now().Add(time.Minute))
	io.Copy(c, d)
}

func suppressed(ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	//lint:ignore deadline both ends are loopback test fixtures
	io.Copy(c, up)
}

// A copy helper typed with io interfaces, given two fresh connections.
func pumpFresh(ln net.Listener, target string) {
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", target)
	go relayutil.Pump(up, c) // want `io.Copy in relayutil.Pump`
	relayutil.Pump(c, up)    // want `io.Copy in relayutil.Pump`
}

// Given a file and a buffer: silent.
func pumpFile(target string, f *os.File) {
	c, _ := net.Dial("tcp", target)
	relayutil.Pump(f, c)
	relayutil.Pump(os.Stdout, f)
}

// A dial helper of another package known only by its code, and one that
// arms the deadline before it returns.
func joinUpstream(ln net.Listener, target string) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	up, err := relayutil.Upstream(target)
	if err != nil {
		return
	}
	relayutil.Join(c, up) // want `the connection from relayutil.Upstream at relay.go:\d+`
}

func joinArmedUpstream(ln net.Listener, target string) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	up, err := relayutil.ArmedUpstream(target)
	if err != nil {
		return
	}
	relayutil.Join(c, up)
}
