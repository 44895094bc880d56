package a

import (
	"context"
	"net"
)

// A goroutine started before the listener is assigned closes it when the
// context ends: it reads the variable, so it sees the listener.
func serveUntilDone(ctx context.Context, addr string) error {
	var l net.Listener
	go func() {
		<-ctx.Done()
		if l != nil {
			l.Close()
		}
	}()
	var err error
	l, err = net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	c, err := l.Accept()
	if err != nil {
		return err
	}
	c.Close()
	return nil
}
