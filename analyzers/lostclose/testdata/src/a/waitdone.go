package a

import (
	"net"
	"os"
	"os/signal"
)

// Waiting on a value's Done channel, which its stop closes, is waiting
// until it has been released: the paths after the wait lose nothing.

type forwarder struct {
	ln   net.Listener
	sig  chan os.Signal
	done chan struct{}
}

func newForwarder(addr string) (*forwarder, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &forwarder{ln: ln, done: make(chan struct{})}, nil
}

func (f *forwarder) start() {
	f.sig = make(chan os.Signal, 1)
	signal.Notify(f.sig, os.Interrupt)
	go func() {
		<-f.sig
		f.Stop()
	}()
}

func (f *forwarder) Stop() {
	defer close(f.done)
	signal.Stop(f.sig)
	f.ln.Close()
}

func (f *forwarder) Done() <-chan struct{} { return f.done }

func forwardUntilDone(addr string) error {
	f, err := newForwarder(addr)
	if err != nil {
		return err
	}
	f.start()
	<-f.Done()
	return nil
}

func forwardUnlessQuiet(addr string, quiet bool) error {
	f, err := newForwarder(addr) // want `f \(\*forwarder from newForwarder\) is never stopped on the path to the return at line 59`
	if err != nil {
		return err
	}
	if quiet {
		return nil
	}
	f.start()
	<-f.Done()
	return nil
}
