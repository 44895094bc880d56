package a

import (
	"crypto/tls"
	"net"
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
