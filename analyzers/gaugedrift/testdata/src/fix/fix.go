package fix

import (
	"net"
	"sync"

	"github.com/go-kit/kit/metrics"
	"github.com/prometheus/client_golang/prometheus"
)

type tracker struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	gauge metrics.Gauge
}

func (t *tracker) add(c net.Conn) {
	t.mu.Lock()
	t.conns[c] = struct{}{}
	t.mu.Unlock()
	if t.gauge != nil {
		t.gauge.Add(1) // want `runs after mu is unlocked`
	}
}

func (t *tracker) remove(c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.conns[c]; ok {
		delete(t.conns, c)
		if t.gauge != nil {
			t.gauge.Add(-1)
		}
	}
}

type peers struct {
	mu sync.RWMutex
	m  map[string]bool
	g  prometheus.Gauge
}

func (p *peers) add(k string) {
	p.mu.Lock()
	p.m[k] = true
	p.mu.Unlock()
	p.g.Inc() // want `runs after mu is unlocked`
}

func (p *peers) remove(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m[k] {
		delete(p.m, k)
		p.g.Dec()
	}
}
