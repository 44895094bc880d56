package a

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
)

// A program's entry point in a library package (main is only
// os.Exit(a.ClientMain())): it parses the command line, so it runs once,
// and what it opens lives as long as the process.
func ClientMain() int {
	addr := flag.String("addr", "", "server address")
	flag.Parse()
	conn, err := net.Dial("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := io.Copy(os.Stdout, conn); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// The same body as a helper that is not an entry point.
func clientCopy(addr string) int {
	conn, err := net.Dial("tcp", addr) // want `conn \(net.Conn from net.Dial\) is never closed`
	if err != nil {
		return 1
	}
	if _, err := io.Copy(os.Stdout, conn); err != nil {
		return 1
	}
	return 0
}

// A server entry point: the session handler it hands to the server runs
// for every session, and what it loses is lost per session.
func ServerMain() int {
	flag.Parse()
	serveSessions(func(name string) error {
		f, err := os.Open(name) // want `f \(\*os.File from os.Open\) is never closed`
		if err != nil {
			return err
		}
		_, _ = io.Copy(os.Stdout, f)
		return nil
	})
	return 0
}

func serveSessions(handle func(string) error) {
	for _, n := range flag.Args() {
		_ = handle(n)
	}
}
