// Package tcp tracks the open connections of an entry point and exports
// their number as a gauge.
package tcp

import (
	"net"
	"sync"

	"example.com/traefik10905/metrics"
)

type Tracker struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	open  metrics.Gauge
}

func (t *Tracker) Add(c net.Conn) {
	t.mu.Lock()
	t.conns[c] = struct{}{}
	t.mu.Unlock()
	t.open.Add(1)
}

// Remove runs on every Close of a tracked connection, once or twice: the
// gauge goes down each time, after the lock, whether or not c was tracked.
func (t *Tracker) Remove(c net.Conn) {
	t.mu.Lock()
	delete(t.conns, c)
	t.mu.Unlock()
	t.open.Add(-1)
}
