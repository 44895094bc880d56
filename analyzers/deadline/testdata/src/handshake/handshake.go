package handshake

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// An HTTP CONNECT dialer: the proxy's answer is awaited forever.
func dialViaProxy(proxyAddr, target string) (net.Conn, error) {
	c, err := net.Dial("tcp", proxyAddr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil) // want `http.ReadResponse reads from the connection dialed by net.Dial at handshake.go:16, which is kept as a tunnel, with no deadline armed`
	if err != nil {
		c.Close()
		return nil, err
	}
	resp.Body.Close()
	return c, nil
}

// Fixed: a deadline for the handshake, cleared before the tunnel is used.
func dialViaProxyFixed(proxyAddr, target string) (net.Conn, error) { // want dialViaProxyFixed:`armsDeadline\[\] results\[0\]`
	c, err := net.DialTimeout("tcp", proxyAddr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	resp.Body.Close()
	c.SetDeadline(time.Time{})
	return c, nil
}

// A TLS handshake in the accept loop: one silent client blocks every other.
func serveTLS(ln net.Listener, cfg *tls.Config, handle func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		tc := tls.Server(c, cfg)
		if err := tc.Handshake(); err != nil { // want `tls.Conn.Handshake reads from the connection accepted by net.Listener.Accept`
			c.Close()
			continue
		}
		go handle(tc)
	}
}

func serveTLSFixed(ln net.Listener, cfg *tls.Config, handle func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		tc := tls.Server(c, cfg)
		if err := tc.Handshake(); err != nil {
			c.Close()
			continue
		}
		c.SetDeadline(time.Time{})
		go handle(tc)
	}
}

// A SOCKS-like greeting read in the accept loop, then relayed.
func socks(ln net.Listener, handle func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		hdr := make([]byte, 2)
		if _, err := io.ReadFull(c, hdr); err != nil { // want `io.ReadFull reads from the connection accepted by net.Listener.Accept`
			c.Close()
			continue
		}
		go handle(c)
	}
}

// A one-shot client that does not keep the connection: not a tunnel, silent.
func probe(addr string) (string, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	fmt.Fprintf(c, "PING\r\n")
	return bufio.NewReader(c).ReadString('\n')
}

// A line protocol read by the goroutine that serves the connection: not a
// tunnel handshake, silent.
func lineServer(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			line, _ := bufio.NewReader(c).ReadString('\n')
			fmt.Fprintf(c, "echo %s", line)
		}()
	}
}

// Read in the goroutine, then relayed by it: the relay is reported.
func tunnelInGoroutine(ln net.Listener, relay func(a, b net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			hdr := make([]byte, 4)
			io.ReadFull(c, hdr) // the relay below is reported instead
			up, _ := net.Dial("tcp", string(hdr))
			go io.Copy(up, c) // want `io.Copy copies`
			io.Copy(c, up)    // want `io.Copy copies`
		}()
	}
}

// The handshake runs in a goroutine and the dialer closes the connection
// when its context is done: silent.
func dialViaProxyCtx(ctx context.Context, proxyAddr, target string) (net.Conn, error) { // want dialViaProxyCtx:`armsDeadline\[\] results\[0\]`
	c, err := net.Dial("tcp", proxyAddr)
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	var resp *http.Response
	go func() {
		defer close(done)
		fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\n\r\n", target)
		resp, err = http.ReadResponse(bufio.NewReader(c), nil)
	}()
	select {
	case <-ctx.Done():
		c.Close()
		<-done
		return nil, ctx.Err()
	case <-done:
	}
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return c, nil
}

// A dial function literal that returns the tunnel, in a function with a
// defer (its results go through result cells): the handshake still waits
// forever on a silent proxy.
func proxyDialFunc(proxy string) func(string) (net.Conn, error) {
	return func(addr string) (net.Conn, error) {
		c, err := net.Dial("tcp", proxy)
		if err != nil {
			return nil, err
		}
		br := bufio.NewReader(c)
		defer br.Reset(nil)
		fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", addr, addr)
		resp, err := http.ReadResponse(br, nil) // want `http.ReadResponse reads from the connection dialed by net.Dial at handshake.go:\d+, which is kept as a tunnel`
		if err != nil {
			c.Close()
			return nil, err
		}
		resp.Body.Close()
		return c, nil
	}
}
