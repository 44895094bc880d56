package a

import (
	"context"
	"net"
)

// A client whose WithContext returns a shallow copy sharing its pool:
// closing the copy closes the pool.

type cpool struct {
	conns []net.Conn
	stop  chan struct{}
}

func (p *cpool) reap() { <-p.stop }

func (p *cpool) close() {
	close(p.stop)
	for _, c := range p.conns {
		c.Close()
	}
}

type rclient struct {
	pool *cpool
	ctx  context.Context
}

func newRClient() *rclient {
	p := &cpool{stop: make(chan struct{})}
	go p.reap()
	return &rclient{pool: p, ctx: context.Background()}
}

func (c *rclient) Close() error { c.pool.close(); return nil }

func (c *rclient) clone() *rclient {
	cp := *c
	return &cp
}

func (c *rclient) WithContext(ctx context.Context) *rclient {
	cp := c.clone()
	cp.ctx = ctx
	return cp
}

func (c *rclient) Ping() error { return nil }

// The copy is returned, or closed when the ping fails: the pool goes with it.
func openRClient(ctx context.Context) (*rclient, error) {
	client := newRClient()
	rdb := client.WithContext(ctx)
	if err := rdb.Ping(); err != nil {
		rdb.Close()
		return nil, err
	}
	return rdb, nil
}

// The copy is dropped: so is the pool.
func pingRClient(ctx context.Context) bool {
	client := newRClient() // want `client \(\*rclient from newRClient\) is never closed`
	rdb := client.WithContext(ctx)
	return rdb.Ping() == nil
}
