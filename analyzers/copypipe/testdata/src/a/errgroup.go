package a

import (
	"context"
	"io"
	"net"

	"golang.org/x/sync/errgroup"
)

// Both directions in an errgroup; each cancels a context when it ends, but
// the function waits for both before anything waits on that context, so
// the cancel stops nothing: a silent peer blocks the wait forever.
func forward(ctx context.Context, from net.Conn, addr string) error {
	to, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	var g errgroup.Group
	g.Go(func() error {
		defer cancel()
		_, err := io.Copy(to, from) // want `each direction, when it ends, only cancels a context that nothing closing the connections waits on before forward waits for both`
		if err != nil {
			return err
		}
		return to.Close()
	})
	g.Go(func() error {
		defer cancel()
		_, err := io.Copy(from, to)
		if err != nil {
			return err
		}
		return from.Close()
	})
	err = g.Wait()
	<-cctx.Done()
	return err
}

// The fixed forward waits for the first direction to end, closes both, then
// waits for the goroutines.
func forwardFixed(ctx context.Context, from net.Conn, addr string) error {
	to, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithCancel(ctx)
	var g errgroup.Group
	g.Go(func() error {
		defer cancel()
		_, err := io.Copy(to, from)
		return err
	})
	g.Go(func() error {
		defer cancel()
		_, err := io.Copy(from, to)
		return err
	})
	<-cctx.Done()
	from.Close()
	to.Close()
	return g.Wait()
}
