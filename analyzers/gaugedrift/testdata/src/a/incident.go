package a

import (
	"net"
	"sync"

	"github.com/go-kit/kit/metrics"
)

// The shape of traefik v3.0.1's connectionTracker (traefik#10733).
type tracker struct {
	connsMu sync.RWMutex
	conns   map[net.Conn]struct{}

	openConnectionsGauge metrics.Gauge
}

func (c *tracker) AddConnection(conn net.Conn) {
	c.connsMu.Lock()
	c.conns[conn] = struct{}{}
	c.connsMu.Unlock()

	if c.openConnectionsGauge != nil {
		c.openConnectionsGauge.Add(1) // want `gauge c.openConnectionsGauge.Add\(1\) in AddConnection drifts from what it counts: it runs after connsMu is unlocked, although it counts conns, which AddConnection changes under connsMu \(line 20\); move the update under connsMu`
	}
}

func (c *tracker) RemoveConnection(conn net.Conn) {
	c.connsMu.Lock()
	delete(c.conns, conn)
	c.connsMu.Unlock()

	if c.openConnectionsGauge != nil {
		c.openConnectionsGauge.Add(-1) // want `gauge c.openConnectionsGauge.Add\(-1\) in RemoveConnection drifts .*after connsMu is unlocked.*; and it runs whether or not the delete removed anything from conns: .* goes negative; decrement only when the entry was present`
	}
}

type trackedConnection struct {
	net.Conn
	tracker *tracker
}

// Close has no once-guard: RemoveConnection runs on every call.
func (t *trackedConnection) Close() error {
	t.tracker.RemoveConnection(t.Conn)
	return t.Conn.Close()
}
