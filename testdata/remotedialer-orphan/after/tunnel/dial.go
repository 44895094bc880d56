// Package tunnel dials backends on behalf of remote clients.
package tunnel

import (
	"context"
	"net"
)

type dialed struct {
	conn net.Conn
	err  error
}

// Dial gives up when ctx ends; the send never blocks, and a connection that
// arrives too late is closed.
func Dial(ctx context.Context, addr string) (net.Conn, error) {
	ch := make(chan dialed, 1)
	go func() {
		c, err := net.Dial("tcp", addr)
		ch <- dialed{c, err}
	}()
	select {
	case d := <-ch:
		return d.conn, d.err
	case <-ctx.Done():
		go func() {
			if d := <-ch; d.err == nil {
				d.conn.Close()
			}
		}()
		return nil, ctx.Err()
	}
}
