package a

import (
	"log"
	"net"
	"os"
)

// The output is closed unless it is standard output: a file created here
// is never os.Stdout, so its Close always runs.
func writeOut(name string, b []byte) error {
	var out *os.File
	if name == "-" {
		out = os.Stdout
	} else {
		var err error
		out, err = os.Create(name)
		if err != nil {
			return err
		}
	}
	if _, err := out.Write(b); err != nil {
		log.Print(err)
	}
	if out != os.Stdout {
		return out.Close()
	}
	return nil
}

// Closed only when it is standard output, which a created file never is.
func writeOutWrong(name string, b []byte) error {
	out, err := os.Create(name) // want `out \(\*os.File from os.Create\) is never closed`
	if err != nil {
		return err
	}
	out.Write(b)
	if out == os.Stdout {
		return out.Close()
	}
	return nil
}

// A helper returning the listener and its address, both nil on failure.
func listenAddr(addr string) (net.Listener, net.Addr) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Print(err)
		return nil, nil
	}
	return ln, ln.Addr()
}

// The caller tests the address: the early return runs only where
// listening failed.
func serveAt(addr string, serve func(net.Listener)) net.Addr {
	ln, a := listenAddr(addr)
	if a == nil {
		return nil
	}
	go serve(ln)
	return a
}
