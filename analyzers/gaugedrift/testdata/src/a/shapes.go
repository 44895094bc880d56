package a

import (
	"context"
	"expvar"
	"net"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/metric"

	"lockhelper"
	"metricswrap"
)

// RWMutex with a deferred unlock: the decrement runs under the lock but does
// not depend on the delete.
type pool struct {
	mu    sync.RWMutex
	conns map[string]net.Conn
	size  prometheus.Gauge
}

func (p *pool) put(k string, c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.conns[k]; ok {
		return
	}
	p.conns[k] = c
	p.size.Inc()
}

func (p *pool) drop(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, k)
	p.size.Dec() // want `gauge p.size.Dec\(\) in drop drifts from what it counts: it runs whether or not the delete removed anything from conns`
}

// An embedded mutex.
type registry struct {
	sync.Mutex
	backends map[string]bool
	up       prometheus.Gauge
}

func (r *registry) add(name string) {
	r.Lock()
	r.backends[name] = true
	r.Unlock()
	r.up.Inc() // want `gauge r.up.Inc\(\) in add drifts from what it counts: it runs after Mutex is unlocked, although it counts backends`
}

func (r *registry) remove(name string) {
	r.Lock()
	defer r.Unlock()
	if r.backends[name] {
		delete(r.backends, name)
		r.up.Dec()
	}
}

// The lock is taken and released by helpers in another package.
type helped struct {
	mu    sync.Mutex
	peers map[string]struct{}
	peerG prometheus.Gauge
}

func (h *helped) add(p string) {
	lockhelper.Lock(&h.mu)
	h.peers[p] = struct{}{}
	lockhelper.Unlock(&h.mu)
	h.peerG.Inc() // want `gauge h.peerG.Inc\(\) in add drifts from what it counts: it runs after mu is unlocked, although it counts peers`
}

func (h *helped) addLocked(p string) {
	lockhelper.Lock(&h.mu)
	h.peers[p] = struct{}{}
	h.peerG.Inc()
	lockhelper.Unlock(&h.mu)
}

// Methods promoted from an embedded type of another package lock for us.
type based struct {
	lockhelper.Base
	routes map[string]int
	routeG prometheus.Gauge
}

func (b *based) add(r string) {
	b.LockAll()
	b.routes[r] = 1
	b.UnlockAll()
	b.routeG.Inc() // want `gauge b.routeG.Inc\(\) in add drifts from what it counts: it runs after mu is unlocked, although it counts routes`
}

func (b *based) addUnder(r string) {
	b.LockAll()
	defer b.UnlockAll()
	b.routes[r] = 1
	b.routeG.Inc()
}

// Helpers in the same package.
type local struct {
	mu    sync.Mutex
	items []string
	itemG prometheus.Gauge
}

func (l *local) lock()   { l.mu.Lock() }
func (l *local) unlock() { l.mu.Unlock() }

func (l *local) push(s string) {
	l.lock()
	l.items = append(l.items, s)
	l.unlock()
	l.itemG.Inc() // want `gauge l.itemG.Inc\(\) in push drifts .*after mu is unlocked, although it counts items`
}

// Metric vectors with labels are attributed to the vector.
var backendConns = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "backend_conns"}, []string{"backend"})

type balancer struct {
	mu    sync.Mutex
	conns map[net.Conn]string
}

func (b *balancer) open(c net.Conn, backend string) {
	b.mu.Lock()
	b.conns[c] = backend
	b.mu.Unlock()
	backendConns.WithLabelValues(backend).Inc() // want `gauge backendConns.WithLabelValues\(backend\).Inc\(\) in open drifts .*after mu is unlocked, although it counts conns`
}

func (b *balancer) closeConn(c net.Conn) {
	b.mu.Lock()
	backend := b.conns[c]
	delete(b.conns, c)
	b.mu.Unlock()
	backendConns.With(prometheus.Labels{"backend": backend}).Dec() // want `gauge backendConns.With\(.*\).Dec\(\) in closeConn drifts .*after mu is unlocked.*; and it runs whether or not the delete removed anything from conns`
}

// OpenTelemetry up-down counters.
type streams struct {
	mu      sync.Mutex
	active  map[uint32]bool
	streamG metric.Int64UpDownCounter
}

func (s *streams) open(ctx context.Context, id uint32) {
	s.mu.Lock()
	s.active[id] = true
	s.mu.Unlock()
	s.streamG.Add(ctx, 1) // want `gauge s.streamG.Add\(ctx, 1\) in open drifts .*after mu is unlocked`
}

func (s *streams) end(ctx context.Context, id uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active[id] {
		delete(s.active, id)
		s.streamG.Add(ctx, -1)
	}
}

// expvar.Int.
var tunnelsOpen = expvar.NewInt("tunnels_open")

type tunnels struct {
	mu sync.Mutex
	m  map[string]net.Conn
}

func (t *tunnels) add(k string, c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.m[k] = c
	tunnelsOpen.Add(1)
}

func (t *tunnels) remove(k string) {
	t.mu.Lock()
	delete(t.m, k)
	t.mu.Unlock()
	tunnelsOpen.Add(-1) // want `gauge tunnelsOpen.Add\(-1\) in remove drifts`
}

// A wrapper type from another package, recognised by its method set.
type wrapped struct {
	mu    sync.Mutex
	subs  map[string]bool
	gauge *metricswrap.Gauge
}

func (w *wrapped) sub(k string) {
	w.mu.Lock()
	w.subs[k] = true
	w.mu.Unlock()
	w.gauge.Add(1) // want `gauge w.gauge.Add\(1\) in sub drifts .*after mu is unlocked, although it counts subs`
}

// A Close path with no idempotence guard.
type closeConn struct {
	net.Conn
	open prometheus.Gauge
}

func newCloseConn(c net.Conn, g prometheus.Gauge) net.Conn {
	cc := &closeConn{Conn: c, open: g}
	cc.open.Inc()
	return cc
}

func (c *closeConn) Close() error {
	c.open.Dec() // want `gauge c.open.Dec\(\) in Close drifts from what it counts: it runs on every call of \(\*closeConn\).Close, which has no guard against running twice.*; make Close idempotent`
	return c.Conn.Close()
}

// Rule 3: the only decrement is in the same function, and an early return
// skips it.
var busy = prometheus.NewGauge(prometheus.GaugeOpts{Name: "busy"})

func work(f func() error) error {
	busy.Inc() // want `gauge busy.Inc\(\) in work before f, which can fail, and the return at line \d+ after its failure skips the decrement`
	if err := f(); err != nil {
		return err
	}
	busy.Dec()
	return nil
}

var busyDeferred = prometheus.NewGauge(prometheus.GaugeOpts{Name: "busy_deferred"})

func workDeferred(f func() error) error {
	busyDeferred.Inc()
	defer busyDeferred.Dec()
	return f()
}

var workers = prometheus.NewGauge(prometheus.GaugeOpts{Name: "workers"})

// A goroutine that decrements when it ends covers the increment.
func spawn(f func()) {
	workers.Inc()
	go func() {
		defer workers.Dec()
		f()
	}()
}

// Without a collection, a gauge updated outside a lock is fine.
type plain struct {
	mu     sync.Mutex
	n      int
	plainG prometheus.Gauge
}

func (p *plain) bump() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	p.plainG.Inc()
}

// A count of samples recorded, of a type known only by its method set and
// never lowered: it counts calls, not the histograms the same method
// creates lazily under the lock.
type sampleCount struct{ v int64 }

func (s *sampleCount) Add(n int64) int64 { s.v += n; return s.v }
func (s *sampleCount) Set(n int64)       { s.v = n }

type timings struct {
	samples sampleCount
	mu      sync.Mutex
	hists   map[string]*int64
}

func (t *timings) record(name string, d int64) {
	t.mu.Lock()
	h, ok := t.hists[name]
	if !ok {
		h = new(int64)
		t.hists[name] = h
	}
	t.mu.Unlock()
	*h += d
	t.samples.Add(1)
}

// Still reported: the same kind of count, lowered when an entry goes.
type peerCount struct{ v int64 }

func (s *peerCount) Add(n int64) int64 { s.v += n; return s.v }
func (s *peerCount) Set(n int64)       { s.v = n }

type peerSet struct {
	n     peerCount
	mu    sync.Mutex
	peers map[string]bool
}

func (p *peerSet) join(k string) {
	p.mu.Lock()
	p.peers[k] = true
	p.mu.Unlock()
	p.n.Add(1) // want `gauge p.n.Add\(1\) in join drifts from what it counts: it runs after mu is unlocked, although it counts peers`
}

func (p *peerSet) leave(k string) {
	p.mu.Lock()
	if p.peers[k] {
		delete(p.peers, k)
		p.n.Add(-1)
	}
	p.mu.Unlock()
}
