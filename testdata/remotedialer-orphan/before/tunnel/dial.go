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

// Dial gives up when ctx ends. The dialing goroutine then blocks forever
// on its send, holding the connection it opened.
func Dial(ctx context.Context, addr string) (net.Conn, error) {
	ch := make(chan dialed)
	go func() {
		c, err := net.Dial("tcp", addr)
		ch <- dialed{c, err}
	}()
	select {
	case d := <-ch:
		return d.conn, d.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
