package a

import (
	"errors"
	"io"
	"log"
	"net"
)

// A per-connection handler waits for an error that its tunnel goroutine
// sends only when the copy fails: a tunnel that ends cleanly sends nothing.

func tunnelCopy(dst, src net.Conn, errc chan error) {
	if _, err := io.Copy(dst, src); err != nil && !errors.Is(err, net.ErrClosed) {
		errc <- err
	}
	dst.Close()
}

func handleTunnel(client net.Conn, addr string) {
	defer client.Close()
	remote, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer remote.Close()
	errc := make(chan error, 1)
	go tunnelCopy(remote, client, nil)
	go tunnelCopy(client, remote, errc)
	if err := <-errc; err != nil { // want `this receive can block forever: the goroutines given the channel made at line \d+ send on it only on some of their paths \(0 certain sends for 1 receives\)`
		log.Print(err)
	}
}

// Every path sends (nil on success): the receive completes.
func tunnelAlways(dst, src net.Conn, errc chan error) {
	_, err := io.Copy(dst, src)
	dst.Close()
	errc <- err
}

func handleTunnelAlways(client net.Conn, addr string) {
	defer client.Close()
	remote, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer remote.Close()
	errc := make(chan error, 2)
	go tunnelAlways(remote, client, errc)
	go tunnelAlways(client, remote, errc)
	<-errc
	<-errc
}

// The path that sends nothing ends the process.
func handleOrExit(client net.Conn) {
	done := make(chan struct{})
	go func() {
		if _, err := io.Copy(io.Discard, client); err != nil {
			log.Fatal(err)
		}
		done <- struct{}{}
	}()
	<-done
}

func serveTunnels(l net.Listener, addr string) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go handleTunnel(c, addr)
		go handleTunnelAlways(c, addr)
		go handleOrExit(c)
	}
}
