// Package returns holds increments that a return path leaves standing: a
// step that fails after the increment, and kinds of value the function
// counts but does not wrap.
package returns

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	openStreams prometheus.Gauge
}

type stream struct {
	body    io.ReadCloser
	once    sync.Once
	onClose func()
}

func (s *stream) Close() error {
	s.once.Do(s.onClose)
	return s.body.Close()
}

type transport struct {
	client  *http.Client
	metrics *metrics
}

// The increment before the request; the decrement only in the stream's
// onClose, built on success (grafana/ckit's DialTimeout).
func (t *transport) dial(req *http.Request) (io.Closer, error) {
	t.metrics.openStreams.Inc() // want `gauge t.metrics.openStreams.Inc\(\) in dial before Do, which can fail, and the return at line \d+ after its failure skips the decrement \(only the function literal at line \d+ undoes it, on success\).*increment after Do succeeds`
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	return &stream{body: resp.Body, onClose: func() { t.metrics.openStreams.Dec() }}, nil
}

// Fixed: the increment after the request succeeded.
func (t *transport) dialFixed(req *http.Request) (io.Closer, error) {
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	t.metrics.openStreams.Inc()
	return &stream{body: resp.Body, onClose: func() { t.metrics.openStreams.Dec() }}, nil
}

// Also fixed: the failure path undoes the increment.
func (t *transport) dialUndo(req *http.Request) (io.Closer, error) {
	t.metrics.openStreams.Inc()
	resp, err := t.client.Do(req)
	if err != nil {
		t.metrics.openStreams.Dec()
		return nil, err
	}
	return &stream{body: resp.Body, onClose: func() { t.metrics.openStreams.Dec() }}, nil
}

// A wrapped error still names the step.
var handshakes = prometheus.NewGauge(prometheus.GaugeOpts{Name: "handshakes"})

type tlsConn struct {
	*tls.Conn
}

func (c *tlsConn) Close() error {
	if err := c.Conn.Close(); err != nil {
		return err
	}
	handshakes.Dec()
	return nil
}

func serveTLS(raw net.Conn, cfg *tls.Config) (net.Conn, error) {
	handshakes.Inc() // want `gauge handshakes.Inc\(\) in serveTLS before Handshake, which can fail`
	c := tls.Server(raw, cfg)
	if err := c.Handshake(); err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	return &tlsConn{c}, nil
}

// The middleware shape (ansrivas/fiberprometheus): Inc, a step whose error
// returns early, Dec at the end.
var inFlight = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "in_flight"}, []string{"method"})

func middleware(method string, next func() error) error {
	inFlight.WithLabelValues(method).Inc() // want `gauge inFlight.WithLabelValues\(method\).Inc\(\) in middleware before next, which can fail`
	if err := next(); err != nil {
		return err
	}
	inFlight.WithLabelValues(method).Dec()
	return nil
}

func middlewareFixed(method string, next func() error) error {
	inFlight.WithLabelValues(method).Inc()
	defer inFlight.WithLabelValues(method).Dec()
	return next()
}

// Counting every accepted connection, wrapping only one concrete type
// (trickster's Accept before its fix).
var activeConns = prometheus.NewGauge(prometheus.GaugeOpts{Name: "active_conns"})

type observedConn struct {
	*net.TCPConn
	closed sync.Once
}

func (o *observedConn) Close() error {
	o.closed.Do(activeConns.Dec)
	return o.TCPConn.Close()
}

type listener struct {
	net.Listener
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	activeConns.Inc() // want `gauge activeConns.Inc\(\) in Accept is not undone on the path that returns at line \d+: only returns.observedConn.Close decrements returns.activeConns`
	if t, ok := c.(*net.TCPConn); ok {
		return &observedConn{TCPConn: t}, nil
	}
	return c, nil
}

// Fixed: every kind is wrapped.
type anyObserved struct {
	net.Conn
	closed sync.Once
}

func (o *anyObserved) Close() error {
	o.closed.Do(activeConns.Dec)
	return o.Conn.Close()
}

type fixedListener struct {
	net.Listener
}

func (l *fixedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	activeConns.Inc()
	return &anyObserved{Conn: c}, nil
}

// Wrapped before the increment: covered.
func wrapFirst(c net.Conn) net.Conn {
	w := &anyObserved{Conn: c}
	activeConns.Inc()
	return w
}

// An implicit return at the end is named by the closing brace, never
// "line 0".
var workers = prometheus.NewGauge(prometheus.GaugeOpts{Name: "workers"})

func runOne(jobs chan func(), stop bool) {
	workers.Inc() // want `gauge workers.Inc\(\) in runOne is not undone on the path that returns at line 188:`
	if !stop {
		go func() {
			defer workers.Dec()
			(<-jobs)()
		}()
	}
}

// An error made here, not a failed step, is still a path that skips the
// decrement.
func bounded(n int) error {
	workers.Inc() // want `gauge workers.Inc\(\) in bounded is not undone on the path that returns at line \d+`
	if n > 10 {
		return errors.New("too many")
	}
	workers.Dec()
	return nil
}

// A helper that builds a handler counting its own connections is no
// increment of the call that builds it (fabio's newWSHandler).
var wsConns int64

func newWSHandler(g prometheus.Gauge) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.Set(float64(atomic.AddInt64(&wsConns, 1)))
		defer func() { g.Set(float64(atomic.AddInt64(&wsConns, -1))) }()
	})
}

func pick(ws bool, g prometheus.Gauge) http.Handler {
	var h http.Handler
	if ws {
		h = newWSHandler(g)
	}
	if h == nil {
		return nil
	}
	return h
}

// A try-acquire that gives the slot back when over the limit, and a batch
// that carries the count until its cleanup runs (nats' fast batches): the
// count is meant to outlive the call on the success path.
var inflightBatches atomic.Int64

type batch struct {
	id   string
	seen time.Time
}

func (b *batch) cleanup(all map[string]*batch) {
	delete(all, b.id)
	inflightBatches.Add(-1)
}

func startBatch(all map[string]*batch, id string, max int64) error {
	if inflightBatches.Add(1) > max {
		inflightBatches.Add(-1)
		return errors.New("too many batches")
	}
	b := &batch{id: id}
	all[id] = b
	if len(id) > 64 {
		b.cleanup(all)
		return errors.New("id too long")
	}
	return nil
}

// sweep cleans up the batches that went idle.
func sweep(all map[string]*batch) {
	for _, b := range all {
		b.cleanup(all)
	}
}

// Without the batch, the success path keeps the count for good.
func startCounted(max int64) error {
	if inflightBatches.Add(1) > max { // want `count inflightBatches.Add\(1\) in startCounted is not undone on the path that returns at line \d+`
		inflightBatches.Add(-1)
		return errors.New("too many")
	}
	if max == 0 {
		return nil
	}
	inflightBatches.Add(-1)
	return nil
}
