package a

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"

	"github.com/go-kit/kit/metrics"
	"github.com/prometheus/client_golang/prometheus"
)

var inflight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "inflight"})

type cache struct {
	mu sync.Mutex
	m  map[string]int
}

// Add(1); defer Add(-1) in one function, next to an unrelated locked map.
func (c *cache) handle(k string) {
	inflight.Inc()
	defer inflight.Dec()
	c.mu.Lock()
	c.m[k]++
	c.mu.Unlock()
}

// Both updates under the lock, the decrement guarded by presence.
type presence struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
	open  prometheus.Gauge
}

func (p *presence) add(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.conns[c] {
		p.conns[c] = true
		p.open.Inc()
	}
}

func (p *presence) remove(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.conns[c]; ok {
		delete(p.conns, c)
		p.open.Dec()
	}
}

// Set from the guarded state, under the lock.
type derived struct {
	mu    sync.RWMutex
	conns map[net.Conn]struct{}
	open  metrics.Gauge
}

func (d *derived) add(c net.Conn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.conns[c] = struct{}{}
	d.open.Set(float64(len(d.conns)))
}

func (d *derived) remove(c net.Conn) {
	d.mu.Lock()
	delete(d.conns, c)
	d.open.Set(float64(len(d.conns)))
	d.mu.Unlock()
}

// Atomics only, no collection behind the gauge.
type atomicCount struct {
	n    atomic.Int64
	open prometheus.Gauge
}

func (a *atomicCount) inc() {
	a.n.Add(1)
	a.open.Inc()
}

func (a *atomicCount) dec() {
	a.n.Add(-1)
	a.open.Dec()
}

// Close guarded by a sync.Once.
type onceConn struct {
	net.Conn
	once sync.Once
	open prometheus.Gauge
}

func newOnceConn(c net.Conn, g prometheus.Gauge) *onceConn {
	oc := &onceConn{Conn: c, open: g}
	oc.open.Inc()
	return oc
}

func (c *onceConn) Close() error {
	c.once.Do(func() { c.open.Dec() })
	return c.Conn.Close()
}

// Close guarded by a CompareAndSwap.
type casConn struct {
	net.Conn
	closed atomic.Bool
	open   prometheus.Gauge
}

func newCasConn(c net.Conn, g prometheus.Gauge) *casConn {
	oc := &casConn{Conn: c, open: g}
	oc.open.Inc()
	return oc
}

func (c *casConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.open.Dec()
	}
	return c.Conn.Close()
}

// Close guarded by a closed flag under a lock.
type flagConn struct {
	net.Conn
	mu     sync.Mutex
	closed bool
	open   prometheus.Gauge
}

func newFlagConn(c net.Conn, g prometheus.Gauge) *flagConn {
	oc := &flagConn{Conn: c, open: g}
	oc.open.Inc()
	return oc
}

func (c *flagConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.open.Dec()
	return c.Conn.Close()
}

// The increment outlives the call on success; the error path undoes it, and
// Close decrements elsewhere: not rule 3.
type dialer struct {
	active prometheus.Gauge
}

type dialedConn struct {
	net.Conn
	once sync.Once
	d    *dialer
}

func (d *dialer) dial(addr string) (net.Conn, error) {
	d.active.Inc()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		d.active.Dec()
		return nil, err
	}
	return &dialedConn{Conn: c, d: d}, nil
}

func (c *dialedConn) Close() error {
	c.once.Do(c.d.active.Dec)
	return c.Conn.Close()
}

// A counter counts events, never state: not a gauge.
type sessions struct {
	mu     sync.Mutex
	m      map[string]bool
	logins prometheus.Counter
}

func (s *sessions) login(id string) {
	s.mu.Lock()
	s.m[id] = true
	s.mu.Unlock()
	s.logins.Inc()
}

// A decrement after a delete whose result it checks.
type checked struct {
	mu   sync.Mutex
	m    map[string]int
	size prometheus.Gauge
}

func (c *checked) put(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		c.size.Inc()
	}
	c.m[k] = 1
}

func (c *checked) del(k string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.m)
	delete(c.m, k)
	if len(c.m) == n {
		return errors.New("absent")
	}
	c.size.Dec()
	return nil
}

// Updates outside the lock that depend on what happened under it are exact.
type outsideButExact struct {
	mu    sync.Mutex
	m     map[string]net.Conn
	gauge prometheus.Gauge
}

func (o *outsideButExact) add(k string, c net.Conn) {
	o.mu.Lock()
	_, existed := o.m[k]
	o.m[k] = c
	o.mu.Unlock()
	if !existed {
		o.gauge.Inc()
	}
}

func (o *outsideButExact) remove(k string) {
	o.mu.Lock()
	_, existed := o.m[k]
	delete(o.m, k)
	o.mu.Unlock()
	if existed && o.gauge != nil {
		o.gauge.Dec()
	}
}
