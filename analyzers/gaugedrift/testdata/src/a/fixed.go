package a

import (
	"net"
	"sync"

	"github.com/go-kit/kit/metrics"
)

// The shape of traefik v3.1.1's fix: the gauge is derived from the map.
type fixedTracker struct {
	connsMu sync.RWMutex
	conns   map[net.Conn]struct{}

	openConnectionsGauge metrics.Gauge
}

func (c *fixedTracker) AddConnection(conn net.Conn) {
	defer c.syncOpenConnectionGauge()

	c.connsMu.Lock()
	c.conns[conn] = struct{}{}
	c.connsMu.Unlock()
}

func (c *fixedTracker) RemoveConnection(conn net.Conn) {
	defer c.syncOpenConnectionGauge()

	c.connsMu.Lock()
	delete(c.conns, conn)
	c.connsMu.Unlock()
}

func (c *fixedTracker) syncOpenConnectionGauge() {
	if c.openConnectionsGauge == nil {
		return
	}

	c.connsMu.RLock()
	c.openConnectionsGauge.Set(float64(len(c.conns)))
	c.connsMu.RUnlock()
}

type fixedConn struct {
	net.Conn
	tracker *fixedTracker
}

func (t *fixedConn) Close() error {
	t.tracker.RemoveConnection(t.Conn)
	return t.Conn.Close()
}
