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

// The gauge is set from the map it counts, under the lock that guards it.

func (t *Tracker) Add(c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.conns[c] = struct{}{}
	t.open.Set(float64(len(t.conns)))
}

func (t *Tracker) Remove(c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.conns, c)
	t.open.Set(float64(len(t.conns)))
}
