package fix

import (
	"context"
	"net"
	"time"
)

func probe(ctx context.Context, addr string) error {
	errc := make(chan error)
	go func() {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		errc <- err // want `this send on an unbuffered channel blocks forever.*give the channel a buffer of 1`
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func both(a, b string) error {
	errc := make(chan error, 1) // want `room for 1 values but 2 sends`
	go func() { _, err := net.Dial("tcp", a); errc <- err }()
	go func() { _, err := net.Dial("tcp", b); errc <- err }()
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Second):
		return context.DeadlineExceeded
	}
}
