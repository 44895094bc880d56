// Package relay is a TCP relay with an HTTP status endpoint, the Go analog
// of an HAProxy 2.8 frontend with client, server and http-request timeouts.
package relay

import (
	"net"
	"net/http"
	"time"
)

const idle = 5 * time.Minute

// Serve relays every accepted connection to target, with an idle timeout
// armed before every read and write.
func Serve(ln net.Listener, target string) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go relay(c, target)
	}
}

func relay(c net.Conn, target string) {
	up, err := net.Dial("tcp", target)
	if err != nil {
		c.Close()
		return
	}
	closeBoth := func() {
		up.Close()
		c.Close()
	}
	go func() {
		copyIdle(up, c)
		closeBoth()
	}()
	copyIdle(c, up)
	closeBoth()
}

// copyIdle copies src to dst until either fails or stays idle too long.
func copyIdle(dst, src net.Conn) {
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

// Status serves the status page with header and idle timeouts.
func Status(addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	return srv.ListenAndServe()
}
