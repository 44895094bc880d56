package returns

import (
	"net"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// A gauge of idle connections, counted before the connection is offered to
// the idle list: where the list keeps it, the count follows the entry and
// Get undoes it; where the list refuses it, it is undone at once. A path
// that neither keeps nor undoes leaves the gauge too high.
var idleConns = prometheus.NewGauge(prometheus.GaugeOpts{Name: "idle_conns"})

type idleList struct {
	mu    sync.Mutex
	conns []net.Conn
	max   int
}

func (p *idleList) push(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.conns) >= p.max {
		return false
	}
	p.conns = append(p.conns, c)
	return true
}

func (p *idleList) Put(c net.Conn) error {
	idleConns.Inc()
	if !p.push(c) {
		idleConns.Dec()
		return c.Close()
	}
	return nil
}

func (p *idleList) PutChecked(c net.Conn, ok bool) error {
	idleConns.Inc() // want `gauge idleConns.Inc\(\) in PutChecked is not undone on the path that returns at line 45`
	if !ok {
		c.Close()
		return nil
	}
	if !p.push(c) {
		idleConns.Dec()
		return c.Close()
	}
	return nil
}

func (p *idleList) Get() net.Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.conns) == 0 {
		return nil
	}
	c := p.conns[len(p.conns)-1]
	p.conns = p.conns[:len(p.conns)-1]
	idleConns.Dec()
	return c
}
