package a

import (
	"context"
	"errors"
	"net"
)

// A fan-out that returns its result channel: the receivers are its
// callers, and one of them gives up.

type probeResult struct {
	addr string
	err  error
}

func probeAddrs(ctx context.Context, addrs []string) <-chan probeResult {
	results := make(chan probeResult)
	for _, addr := range addrs {
		var d net.Dialer
		go func(addr string) {
			c, err := d.DialContext(ctx, "tcp", addr)
			if err != nil {
				results <- probeResult{err: err} // want `this send on an unbuffered channel blocks forever once the receiver gives up \(the select at line \d+ of fastest also waits on cancellation or a timer\)`
				return
			}
			defer c.Close()
			results <- probeResult{addr: addr} // want `this send on an unbuffered channel blocks forever once the receiver gives up`
		}(addr)
	}
	return results
}

func fastest(ctx context.Context, addrs []string) (string, error) {
	select {
	case r := <-probeAddrs(ctx, addrs):
		return r.addr, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Room for every sender: each send completes whoever stops receiving.
func probeBuffered(ctx context.Context, addrs []string) <-chan probeResult {
	results := make(chan probeResult, len(addrs))
	for _, addr := range addrs {
		go func(addr string) {
			results <- probeResult{addr: addr}
		}(addr)
	}
	return results
}

func fastestBuffered(ctx context.Context, addrs []string) (string, error) {
	select {
	case r := <-probeBuffered(ctx, addrs):
		return r.addr, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Every caller receives every result.
func probeAll(addrs []string) <-chan probeResult {
	results := make(chan probeResult)
	for _, addr := range addrs {
		go func(addr string) {
			results <- probeResult{addr: addr}
		}(addr)
	}
	return results
}

func collect(addrs []string) error {
	ch := probeAll(addrs)
	for range addrs {
		if r := <-ch; r.err != nil {
			return errors.Join(r.err, drain(ch, len(addrs)-1))
		}
	}
	return nil
}

func drain(ch <-chan probeResult, n int) error {
	for i := 0; i < n; i++ {
		<-ch
	}
	return nil
}
