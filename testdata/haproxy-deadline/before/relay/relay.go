// Package relay is a TCP relay with an HTTP status endpoint, the Go analog
// of an HAProxy 2.8 frontend with no client, server or http-request
// timeouts.
package relay

import (
	"io"
	"net"
	"net/http"
)

// Serve relays every accepted connection to target. No deadline is ever
// armed: a peer that stops reading, or vanishes without a FIN, holds both
// connections and both goroutines forever.
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
		io.Copy(up, c)
		closeBoth()
	}()
	io.Copy(c, up)
	closeBoth()
}

// Status serves the status page with no header or idle timeout.
func Status(addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h}
	return srv.ListenAndServe()
}
