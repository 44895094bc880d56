package a

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"os"
	"os/exec"
	"sync"
	"time"
)

// A dialed connection is the caller's: package net's dialers are
// constructors, and so is every helper built on them.

func probe(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second) // want `c \(net.Conn from net.DialTimeout\) is never closed`
	if err != nil {
		return false
	}
	_, err = c.Write([]byte("ping"))
	return err == nil
}

func probeTLS(addr string) bool {
	c, err := tls.Dial("tcp", addr, nil) // want `never closed`
	return err == nil && c.ConnectionState().HandshakeComplete
}

func probeClosed(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte("ping"))
	return err
}

func dialUpstream(addr string) (*tls.Conn, error) {
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	tc := tls.Client(raw, &tls.Config{})
	if err := tc.Handshake(); err != nil {
		raw.Close()
		return nil, err
	}
	return tc, nil
}

func useUpstream(addr string) error {
	c, err := dialUpstream(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write(nil)
	return err
}

func acceptLoop(ln *net.TCPListener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go handleDialed(c)
	}
}

func handleDialed(c net.Conn) {
	defer c.Close()
	c.Write(nil)
}

// A dial function handed out as a value runs for every connection made
// through it. The connection from either dialer is lost when the proxy
// handshake fails; the defer makes the returns go through result cells.
var dialMu sync.Mutex

func proxyDialer(proxy string, timeout time.Duration) func(string) (net.Conn, error) {
	return func(addr string) (net.Conn, error) {
		var conn net.Conn
		var err error
		if timeout == 0 {
			conn, err = net.Dial("tcp", proxy)
		} else {
			conn, err = net.DialTimeout("tcp", proxy, timeout)
		}
		if err != nil {
			return nil, err
		}
		dialMu.Lock()
		defer dialMu.Unlock()
		if _, err := conn.Write([]byte("CONNECT " + addr)); err != nil {
			return nil, err // want `this return loses conn \(net.Conn from net.Dial at line \d+, net.DialTimeout at line \d+\).* for every connection dialed through the function literal in proxyDialer`
		}
		return conn, nil
	}
}

// Its fix closes the connection on the failed handshake.
func proxyDialerFixed(proxy string, timeout time.Duration) func(string) (net.Conn, error) {
	return func(addr string) (net.Conn, error) {
		var conn net.Conn
		var err error
		if timeout == 0 {
			conn, err = net.Dial("tcp", proxy)
		} else {
			conn, err = net.DialTimeout("tcp", proxy, timeout)
		}
		if err != nil {
			return nil, err
		}
		dialMu.Lock()
		defer dialMu.Unlock()
		if _, err := conn.Write([]byte("CONNECT " + addr)); err != nil {
			conn.Close()
			return nil, err
		}
		return conn, nil
	}
}

// The pipes of an exec.Cmd are the command's: Wait closes them (StderrPipe
// appends the pipe it returns to the command's list).
func runCommand(name string) ([]byte, error) {
	cmd := exec.Command(name)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out, _ := io.ReadAll(stderr)
	if err := cmd.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// A pool that keeps what it hands out: the caller does not own the
// connection alone.
type connPool struct{ conns []net.Conn }

func (p *connPool) get(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conns = append(p.conns, c)
	return c, nil
}

func (p *connPool) ping(addr string) bool {
	c, err := p.get(addr)
	if err != nil {
		return false
	}
	_, err = c.Write([]byte("ping"))
	return err == nil
}

// A TLS view over a dialed connection whose Close is deferred: closing the
// connection releases the view.
func handshakeOnly(addr string, cfg *tls.Config) bool {
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	defer raw.Close()
	tc := tls.Client(raw, cfg)
	if err := tc.Handshake(); err != nil {
		return false
	}
	_, err = tc.Write([]byte("hello"))
	return err == nil
}

// Without it, the view is lost on every return.
func handshakeLost(addr string, cfg *tls.Config) bool {
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	tc := tls.Client(raw, cfg) // want `tc \(\*tls.Conn from tls.Client\) is never closed`
	return tc.Handshake() == nil
}

// A server created and run for its life by one call: when Serve returns it
// has stopped, and there is no later point to close it.
type echoServer struct{ ln net.Listener }

func newEchoServer(addr string) (*echoServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &echoServer{ln: ln}, nil
}

func (s *echoServer) Serve() error { defer s.ln.Close(); return nil }
func (s *echoServer) Ping() bool   { return true }
func (s *echoServer) Close() error { return s.ln.Close() }

func runEcho(addr string) {
	s, err := newEchoServer(addr)
	if err != nil {
		return
	}
	println(s.Serve())
}

// Used for something else first, it is the caller's to close.
func pingEcho(addr string) bool {
	s, err := newEchoServer(addr) // want `s \(\*echoServer from newEchoServer\) is never closed`
	if err != nil {
		return false
	}
	return s.Ping()
}

// A flag that records whether the first listen worked: the second listen
// runs only when it did not, so the first socket is never lost there.
func listenEither(addr string) bool {
	var pc net.PacketConn
	var err error
	fallback := true
	pc, err = net.ListenPacket("udp", addr)
	if err == nil {
		fallback = false
	}
	if fallback {
		pc, err = net.ListenPacket("udp4", addr)
		if err != nil {
			return false
		}
	}
	defer pc.Close()
	_, err = pc.WriteTo([]byte("x"), nil)
	return err == nil
}

// A close under the flag that says the file was opened here.
func truncateMaybe(name string, have *os.File) bool {
	fd, opened := have, false
	if fd == nil {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			return false
		}
		fd, opened = f, true
	}
	err := fd.Truncate(0)
	if opened {
		fd.Close()
	}
	return err == nil
}

// A deferred close under a check of an error declared outside the closure.
func truncateInClosure(name string) bool {
	var err error
	truncate := func() bool {
		var fd *os.File
		fd, err = os.OpenFile(name, os.O_RDWR, 0)
		if err == nil {
			defer fd.Close()
		}
		if fd == nil {
			return false
		}
		return fd.Truncate(0) == nil
	}
	return truncate() && err == nil
}

// A TLS view over a view of the caller's connection (the bytes peeked
// before the handshake put back in front): the caller closes the
// connection, and the views own nothing else.
type peekedConn struct {
	net.Conn
	r io.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func serveTLS(conn net.Conn, first []byte, cfg *tls.Config) bool {
	tc := tls.Server(&peekedConn{conn, io.MultiReader(bytes.NewReader(first), conn)}, cfg)
	if err := tc.Handshake(); err != nil {
		return false
	}
	_, err := tc.Write([]byte("ok"))
	return err == nil
}

// A failed open tested with os.IsNotExist has nothing to close; the
// finding names the return that really loses the file.
func serveFile(name string, ranged bool) int {
	f, err := os.Open(name) // want `f \(\*os.File from os.Open\) is never closed on the path to the return at line 312:`
	switch {
	case os.IsNotExist(err):
		return 404
	case err != nil:
		return 500
	}
	if ranged {
		return 206
	}
	f.Close()
	return 200
}

// A service whose constructor keeps its listener in a field and is
// captured by a closure too (every use of svr reads a variable cell): the
// service, returned, owns the listener.
type udpService struct {
	ln      net.PacketConn
	onClose func()
}

func (s *udpService) Close() error { return s.ln.Close() }

func newUDPService(addr string, quic bool) (*udpService, error) {
	svr := &udpService{}
	svr.onClose = func() { println(svr.ln != nil) }
	if quic {
		ln, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, err
		}
		svr.ln = ln
	}
	return svr, nil
}
