// Package release holds the shapes of a decrement that runs once per call
// of a release method instead of once per thing counted.
package release

import (
	"context"
	"net"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/semaphore"

	"conntrack"
	"limiter"
	"statsconn"
)

// A callback field set by a constructor from its parameter: the release
// method owns the once-ness (alloydb-go-connector's instrumentedConn).
type instrumented struct {
	net.Conn
	closeFunc func()
}

func newInstrumented(c net.Conn, closeFunc func()) *instrumented {
	return &instrumented{Conn: c, closeFunc: closeFunc}
}

type dialer struct {
	openConns uint64
}

func (d *dialer) dial(ctx context.Context, addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	atomic.AddUint64(&d.openConns, 1)
	return newInstrumented(c, func() {
		atomic.AddUint64(&d.openConns, ^uint64(0))
	}), nil
}

func (i *instrumented) Close() error {
	i.closeFunc() // want `i.closeFunc\(\) in Close calls the callback closeFunc, which decrements dialer.openConns, on every call of \(\*instrumented\).Close.*no guard against running twice.*release.newInstrumented sets it from the function release.dialer.dial passes at line \d+`
	return i.Conn.Close()
}

// The same, fixed with a sync.Once around the callback.
type onceInstrumented struct {
	net.Conn
	once      sync.Once
	closeFunc func()
}

type onceDialer struct {
	openConns atomic.Int64
}

func (d *onceDialer) dial(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	d.openConns.Add(1)
	return &onceInstrumented{Conn: c, closeFunc: func() { d.openConns.Add(-1) }}, nil
}

func (i *onceInstrumented) Close() error {
	i.once.Do(i.closeFunc)
	return i.Conn.Close()
}

// An exported callback installed as a method value that counts closes,
// where the installer counts accepts (forwarder's TrackedConn.OnClose).
type listenerMetrics struct {
	accepted prometheus.Counter
	closed   prometheus.Counter
}

func (m *listenerMetrics) accept() { m.accepted.Inc() }
func (m *listenerMetrics) close()  { m.closed.Inc() }

type TrackedConn struct {
	net.Conn
	OnClose func()
}

func (c *TrackedConn) Close() error {
	err := c.Conn.Close()
	if c.OnClose != nil {
		c.OnClose()
	}
	return err
}

type listener struct {
	net.Listener
	metrics *listenerMetrics
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &TrackedConn{Conn: c}
	l.metrics.accept()
	tc.OnClose = l.metrics.close // want `OnClose is set in Accept to release.listenerMetrics.close, which increments listenerMetrics.closed, and \(\*TrackedConn\).Close calls it on every call with no guard.*install it through a sync.Once`
	return tc, nil
}

// Fixed: the callback goes through a sync.Once of its own.
type onceListener struct {
	net.Listener
	metrics *listenerMetrics
}

func (l *onceListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &TrackedConn{Conn: c}
	l.metrics.accept()
	once := sync.Once{}
	tc.OnClose = func() { once.Do(l.metrics.close) }
	return tc, nil
}

// A limiter slot given back on every Close (go-gost's serverConn).
type limited struct {
	net.Conn
	lim limiter.Limiter
}

func wrapLimited(lim limiter.Limiter, c net.Conn) net.Conn {
	return &limited{Conn: c, lim: lim}
}

func (c *limited) Close() error {
	c.lim.Allow(-1) // want `count of taken slots c.lim.Allow\(-1\) in Close drifts from what it counts: it runs on every call of \(\*limited\).Close, which has no guard against running twice`
	return c.Conn.Close()
}

type limitedListener struct {
	net.Listener
	lim limiter.Limiter
}

// Allow(1) takes a slot only when it says so: the refused path owes nothing.
func (ln *limitedListener) Accept() (net.Conn, error) {
	c, err := ln.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if ln.lim.Allow(1) {
		return wrapLimited(ln.lim, c), nil
	}
	c.Close()
	return nil, net.ErrClosed
}

// Fixed with CompareAndSwap.
type casLimited struct {
	net.Conn
	lim    limiter.Limiter
	closed atomic.Bool
}

func (c *casLimited) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.lim.Allow(-1)
	}
	return c.Conn.Close()
}

// A semaphore slot released on every Close.
type semConn struct {
	net.Conn
	sem *semaphore.Weighted
}

func acquireConn(ctx context.Context, sem *semaphore.Weighted, addr string) (net.Conn, error) {
	if err := sem.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		sem.Release(1)
		return nil, err
	}
	return &semConn{Conn: c, sem: sem}, nil
}

func (c *semConn) Close() error {
	c.sem.Release(1) // want `count of taken slots c.sem.Release\(1\) in Close drifts.*every call of \(\*semConn\).Close`
	return c.Conn.Close()
}

// A helper of another package decrements (lantern-box's Conn.Close and
// Tracker.Leave).
type trackedConn struct {
	net.Conn
	tracker *conntrack.Tracker
}

func newTrackedConn(c net.Conn, t *conntrack.Tracker) net.Conn {
	t.Join()
	return &trackedConn{Conn: c, tracker: t}
}

func (c *trackedConn) Close() error {
	c.tracker.Leave(0) // want `c.tracker.Leave\(0\) in Close decrements Tracker.conns through conntrack.Tracker.Leave on every call of \(\*trackedConn\).Close, which has no guard`
	return c.Conn.Close()
}

// Fixed with Swap.
type swapTrackedConn struct {
	net.Conn
	tracker *conntrack.Tracker
	closed  atomic.Bool
}

func newSwapTrackedConn(c net.Conn, t *conntrack.Tracker) net.Conn {
	t.Join()
	return &swapTrackedConn{Conn: c, tracker: t}
}

func (c *swapTrackedConn) Close() error {
	if !c.closed.Swap(true) {
		c.tracker.Leave(0)
	}
	return c.Conn.Close()
}

// A closed marker cleared under the lock guards the second call
// (heminetwork's clientConn after its fix).
var connsOpen = prometheus.NewGauge(prometheus.GaugeOpts{Name: "conns_open"})

type clientConn struct {
	mu   sync.Mutex
	conn net.Conn
}

func newClientConn(c net.Conn) *clientConn {
	connsOpen.Inc()
	return &clientConn{conn: c}
}

func (c *clientConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return net.ErrClosed
	}
	if err := c.conn.Close(); err != nil {
		return err
	}
	c.conn = nil
	connsOpen.Dec()
	return nil
}

// The decrement only after the inner Close succeeded: a second Close fails
// (trickster's observedConnection after its fix).
type observed struct {
	net.Conn
}

var active = prometheus.NewGauge(prometheus.GaugeOpts{Name: "active"})

func observe(c net.Conn) net.Conn {
	active.Inc()
	return &observed{c}
}

func (o *observed) Close() error {
	if err := o.Conn.Close(); err != nil {
		return err
	}
	active.Dec()
	return nil
}

// A reference count: the type's own methods take and give back, and every
// Release is meant to count.
type shared struct {
	refs int32
	open prometheus.Gauge
}

func (s *shared) Retain() {
	atomic.AddInt32(&s.refs, 1)
	s.open.Inc()
}

func (s *shared) Release() {
	if atomic.AddInt32(&s.refs, -1) == 0 {
		s.open.Dec()
	}
}

// A helper of the same package decrements; the release method that calls
// it on every Close is what to change (lantern-box's Tracker.Leave, when
// both live in one package).
type localTracker struct {
	open prometheus.Gauge
}

func (t *localTracker) routed(c net.Conn) net.Conn {
	t.open.Inc()
	return &localConn{Conn: c, t: t}
}

func (t *localTracker) leave() { t.open.Dec() }

type localConn struct {
	net.Conn
	t *localTracker
}

func (c *localConn) Close() error {
	c.t.leave() // want `c.t.leave\(\) in Close decrements localTracker.open through release.localTracker.leave on every call of \(\*localConn\).Close, which has no guard`
	return c.Conn.Close()
}

// The callback stored through a type assertion of the interface that holds
// the wrapper (forwarder's conn.(*TrackedConn).OnClose = ...).
type assertListener struct {
	net.Listener
	metrics *listenerMetrics
}

func (l *assertListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	conn = &TrackedConn{Conn: conn}
	l.metrics.accept()
	conn.(*TrackedConn).OnClose = l.metrics.close // want `OnClose is set in Accept to release.listenerMetrics.close`
	return conn, nil
}

// A second wrapper sharing the helper is reported on its own.
type localPacketConn struct {
	net.PacketConn
	t *localTracker
}

func (t *localTracker) routedPacket(c net.PacketConn) net.PacketConn {
	t.open.Inc()
	return &localPacketConn{PacketConn: c, t: t}
}

func (c *localPacketConn) Close() error {
	c.t.leave() // want `c.t.leave\(\) in Close decrements localTracker.open through release.localTracker.leave on every call of \(\*localPacketConn\).Close`
	return c.PacketConn.Close()
}

// A go-metrics-style counter going both ways with Inc(n) and Dec(n), and a
// stats callback handed to the wrapper's constructor (frp 2018's StatsConn).
type curCounter struct{ n int64 }

func (c *curCounter) Inc(n int64) { atomic.AddInt64(&c.n, n) }
func (c *curCounter) Dec(n int64) { atomic.AddInt64(&c.n, -n) }

var curConns = &curCounter{}

type statsConn struct {
	net.Conn
	statsFunc func()
}

func wrapStats(c net.Conn, f func()) *statsConn {
	return &statsConn{Conn: c, statsFunc: f}
}

func serveStats(c net.Conn) net.Conn {
	curConns.Inc(1)
	return wrapStats(c, func() { curConns.Dec(1) })
}

func (s *statsConn) Close() error {
	err := s.Conn.Close()
	if s.statsFunc != nil {
		s.statsFunc() // want `s.statsFunc\(\) in Close calls the callback statsFunc, which decrements release.curConns, on every call of \(\*statsConn\).Close`
	}
	return err
}

// The same shape across packages: the constructor's Callback fact says
// its parameter runs on every Close.
func serveWrapped(c net.Conn) net.Conn {
	curConns.Inc(1)
	return statsconn.WrapStatsConn(c, func() { curConns.Dec(1) }) // want `statsconn.WrapStatsConn\(c, \(func\(\) literal\)\) in serveWrapped hands the function literal at line \d+, which decrements release.curConns, to statsconn.WrapStatsConn, which runs it on every call of \(\*StatsConn\).Close with no guard`
}

func serveOnce(c net.Conn) net.Conn {
	curConns.Inc(1)
	return statsconn.WrapOnce(c, func() { curConns.Dec(1) })
}

// A client whose Stop gives its slot back on every call: the message names
// Stop, the method to make idempotent.
type slotClient struct {
	lim  limiter.Limiter
	once sync.Once
	done chan struct{}
}

func newSlotClient(lim limiter.Limiter) *slotClient {
	lim.Allow(1)
	return &slotClient{lim: lim, done: make(chan struct{})}
}

func (c *slotClient) Stop() {
	c.once.Do(func() { close(c.done) })
	c.lim.Allow(-1) // want `count of taken slots c.lim.Allow\(-1\) in Stop drifts from what it counts: it runs on every call of \(\*slotClient\).Stop, which has no guard against running twice`
}
