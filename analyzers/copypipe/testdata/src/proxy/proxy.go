// Package proxy holds the shapes real proxies are built of: an accept loop,
// go handle(c), methods, closures and helpers of another package.
package proxy

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"pipeutil"
)

type Proxy struct {
	target string
}

// ---- reported ----

// The accept loop hands every connection to a method; the method's pipe
// uses a helper of another package that never stops the other direction.
func (p *Proxy) Serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *Proxy) handle(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	go pipeutil.Copy(up, c) // want `one direction of a pipe between up and c: when this copy returns`
	pipeutil.Copy(c, up)
}

// A closure started with the connection as its argument.
func closureArg(l net.Listener, target string) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func(conn net.Conn) {
			defer conn.Close()
			up, err := net.Dial("tcp", target)
			if err != nil {
				return
			}
			defer up.Close()
			go func() {
				io.Copy(up, conn) // want `one direction of a pipe between up and c: `
			}()
			io.Copy(conn, up)
		}(c)
	}
}

// A close only on the error path: on EOF nothing closes.
func closeOnErrorOnly(client net.Conn, addr string) {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer server.Close()
	go func() {
		if _, err := io.Copy(server, client); err != nil { // want `nothing closes either connection on every path`
			server.Close()
		}
	}()
	io.Copy(client, server)
}

// The same through a helper of another package that closes only on error.
func helperCloseOnError(client net.Conn, addr string) {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer server.Close()
	go pipeutil.CopyCloseOnError(server, client) // want `one direction of a pipe`
	io.Copy(client, server)
}

// Both directions in goroutines, the starter waits for both (a
// WaitGroup) and only then closes: a silent peer blocks forever, even on
// the caller's connections.
func waitBoth(a, b io.ReadWriteCloser) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); io.Copy(a, b) }() // want `waitBoth waits for both directions before closing anything`
	go func() { defer wg.Done(); io.Copy(b, a) }()
	wg.Wait()
	a.Close()
	b.Close()
}

// Two receives on a done channel are a wait for both too; the copies are
// ReadFrom and WriteTo on a custom stream type.
type Stream interface {
	io.ReadWriteCloser
	io.ReaderFrom
	io.WriterTo
}

func twoReceives(s Stream, c *net.TCPConn) {
	done := make(chan struct{}, 2)
	go func() { s.ReadFrom(c); done <- struct{}{} }() // want `twoReceives waits for both directions`
	go func() { s.WriteTo(c); done <- struct{}{} }()
	<-done
	<-done
	s.Close()
	c.Close()
}

// Giving up on cancellation leaves both copies running on the caller's
// connections.
func giveUp(ctx context.Context, rw1, rw2 io.ReadWriteCloser) error {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); pipeutil.CopyClose(rw1, rw2) }()
	go func() { defer wg.Done(); pipeutil.CopyClose(rw2, rw1) }()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done(): // want `on the cancellation case of this select giveUp returns while both copies still run`
		return ctx.Err()
	}
	return nil
}

// A hijacked connection and a hand-written loop in the other direction.
func hijack(w http.ResponseWriter, r *http.Request) {
	c, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer c.Close()
	up, err := net.DialTimeout("tcp", r.Host, 5*time.Second)
	if err != nil {
		return
	}
	defer up.Close()
	go io.CopyN(up, c, 1<<30) // want `one direction of a pipe between up and c`
	buf := make([]byte, 1024)
	for {
		n, err := up.Read(buf)
		if err != nil {
			return
		}
		c.Write(buf[:n])
	}
}

// ---- accepted ----

// The fixed handle: the other package's helper closes when it ends.
func (p *Proxy) handleFixed(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	go pipeutil.CopyClose(up, c)
	pipeutil.CopyClose(c, up)
}

// The fixed waitBoth: each direction closes both ends when it returns.
func waitBothFixed(a, b io.ReadWriteCloser) {
	var wg sync.WaitGroup
	wg.Add(2)
	closeBoth := func() { a.Close(); b.Close() }
	go func() { defer wg.Done(); io.Copy(a, b); closeBoth() }()
	go func() { defer wg.Done(); io.Copy(b, a); closeBoth() }()
	wg.Wait()
}

// Half-close when each direction ends, then wait for both: the peer sees
// EOF and ends its side; accepted.
func halfCloseWait(a, b *net.TCPConn) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); io.Copy(a, b); a.CloseWrite() }()
	go func() { defer wg.Done(); io.Copy(b, a); b.CloseWrite() }()
	wg.Wait()
	a.Close()
	b.Close()
}

// The fixed giveUp: cancellation closes both connections.
func giveUpFixed(ctx context.Context, rw1, rw2 io.ReadWriteCloser) error {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); pipeutil.CopyClose(rw1, rw2) }()
	go func() { defer wg.Done(); pipeutil.CopyClose(rw2, rw1) }()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		rw1.Close()
		rw2.Close()
		return ctx.Err()
	}
	return nil
}

// A deferred close in the giving-up function counts.
func giveUpDeferred(ctx context.Context, a, b net.Conn) {
	defer a.Close()
	defer b.Close()
	errc := make(chan error, 2)
	go func() { _, err := io.Copy(a, b); errc <- err }()
	go func() { _, err := io.Copy(b, a); errc <- err }()
	select {
	case <-errc:
	case <-ctx.Done():
	}
}

// A loop that keeps waiting after the timer fires does not give up.
func keepsWaiting(a, b net.Conn) {
	defer a.Close()
	defer b.Close()
	errc := make(chan error, 2)
	go func() { _, err := io.Copy(a, b); errc <- err }()
	go func() { _, err := io.Copy(b, a); errc <- err }()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-errc:
			return
		case <-t.C:
		}
	}
}

// Returning after the first direction, on the caller's connections: the
// caller closes them.
func firstOfTwo(a, b net.Conn) error {
	errc := make(chan error, 2)
	go func() { _, err := io.Copy(a, b); errc <- err }()
	go func() { _, err := io.Copy(b, a); errc <- err }()
	return <-errc
}

// The fixed hijack: the loop closes both when it ends, and so does the
// goroutine.
func hijackFixed(w http.ResponseWriter, r *http.Request) {
	c, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	up, err := net.Dial("tcp", r.Host)
	if err != nil {
		c.Close()
		return
	}
	go func() {
		io.Copy(up, c)
		up.Close()
		c.Close()
	}()
	buf := make([]byte, 1024)
	for {
		n, err := up.Read(buf)
		if err != nil {
			up.Close()
			c.Close()
			return
		}
		c.Write(buf[:n])
	}
}

// Same-package helper that is itself a correct pipe: the other package's
// Join.
func joins(a, b net.Conn) { pipeutil.Join(a, b) }

// Each direction closes both ends through a sync.Once: accepted.
func pipeOnce(src, dst io.ReadWriteCloser) {
	var wg sync.WaitGroup
	var o sync.Once
	closeBoth := func() {
		src.Close()
		dst.Close()
	}
	wg.Add(2)
	go func() {
		io.Copy(src, dst)
		o.Do(closeBoth)
		wg.Done()
	}()
	go func() {
		io.Copy(dst, src)
		o.Do(closeBoth)
		wg.Done()
	}()
	wg.Wait()
}

// A UDP-style relay whose loops re-arm a read deadline before every read:
// the direction left running ends within the idle timeout, and the
// deferred closes run.
func relayIdle(c net.Conn, target string, idle time.Duration) {
	defer c.Close()
	rc, err := net.Dial("udp", target)
	if err != nil {
		return
	}
	defer rc.Close()
	go func() {
		buf := make([]byte, 65507)
		for {
			rc.SetDeadline(time.Now().Add(idle))
			n, err := rc.Read(buf)
			if err != nil {
				return
			}
			if _, err := c.Write(buf[:n]); err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 65507)
	for {
		c.SetDeadline(time.Now().Add(idle))
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		if _, err := rc.Write(buf[:n]); err != nil {
			return
		}
	}
}
