package returns

import (
	"errors"
	"sync/atomic"
)

// A lease counter whose take rolls its increment back and returns nil at
// the cap: a nil lease holds no count.

type lease struct{ p *leasePool }

func (l *lease) release() { l.p.leased.Add(-1) }

type leasePool struct {
	leased atomic.Int64
	max    int64
	out    chan *lease
}

func (p *leasePool) take() *lease {
	if p.leased.Add(1) > p.max {
		p.leased.Add(-1)
		return nil
	}
	return &lease{p: p}
}

func (p *leasePool) serveOne(work func(*lease) error) error {
	l := p.take()
	if l == nil {
		return errors.New("busy")
	}
	if err := work(l); err != nil {
		l.release()
		return err
	}
	p.out <- l // the consumer releases it
	return nil
}

// Here the non-nil lease is dropped on a return.
func (p *leasePool) serveLeaky(n int) error {
	l := p.take() // want `count p.take\(\) in serveLeaky is not undone on the path that returns at line \d+`
	if l == nil {
		return errors.New("busy")
	}
	if n > 3 {
		return nil
	}
	l.release()
	return nil
}
