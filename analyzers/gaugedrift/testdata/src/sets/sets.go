// Package sets holds gauges of sets guarded by a lock, where the set is
// found by what the function adds and removes under the lock.
package sets

import (
	"container/list"
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

type conn struct{ id int }

// slices.DeleteFunc under the lock, the decrement after the unlock and
// whether or not anything was removed (heminetwork's connPool.onClose).
type pool struct {
	mu    sync.Mutex
	conns []*conn
	idle  prometheus.Gauge
}

func (p *pool) put(c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns = append(p.conns, c)
	p.idle.Inc()
}

func (p *pool) drop(c *conn) {
	p.mu.Lock()
	p.conns = slices.DeleteFunc(p.conns, func(x *conn) bool { return x == c })
	p.mu.Unlock()
	p.idle.Dec() // want `gauge p.idle.Dec\(\) in drop drifts from what it counts: it runs after mu is unlocked, although it counts conns.*; and it runs whether or not the delete removed anything from conns`
}

// Fixed: the decrement depends on the removal.
func (p *pool) dropFixed(c *conn) {
	p.mu.Lock()
	n := len(p.conns)
	p.conns = slices.DeleteFunc(p.conns, func(x *conn) bool { return x == c })
	removed := len(p.conns) != n
	p.mu.Unlock()
	if removed {
		p.idle.Dec()
	}
}

// Re-slicing pops under the lock; the decrement after the unlock runs only
// when the pop happened, so it is exact, only late. Truncating the set
// and decrementing once is not.
type stack struct {
	mu    sync.Mutex
	items []*conn
	depth prometheus.Gauge
}

func (s *stack) push(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, c)
	s.depth.Inc()
}

func (s *stack) pop() *conn {
	s.mu.Lock()
	if len(s.items) == 0 {
		s.mu.Unlock()
		return nil
	}
	c := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	s.mu.Unlock()
	s.depth.Dec() // only when an item was popped: exact, only late
	return c
}

func (s *stack) trim(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < len(s.items) {
		s.items = s.items[:n]
	}
	s.depth.Dec() // want `gauge s.depth.Dec\(\) in trim drifts from what it counts: it runs whether or not the delete removed anything from items`
}

// A container/list pushed under the lock.
type queue struct {
	mu      sync.Mutex
	waiting *list.List
	queued  prometheus.Gauge
}

func (q *queue) enqueue(c *conn) {
	q.mu.Lock()
	q.waiting.PushBack(c)
	q.mu.Unlock()
	q.queued.Inc() // want `gauge q.queued.Inc\(\) in enqueue drifts from what it counts: it runs after mu is unlocked, although it counts waiting`
}

func (q *queue) dequeue() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e := q.waiting.Front(); e != nil {
		q.waiting.Remove(e)
		q.queued.Dec()
	}
}

// A sync.Map stored under a lock that also guards a map; the gauge after
// the unlock.
type registry struct {
	mu      sync.Mutex
	byName  sync.Map
	members prometheus.Gauge
}

func (r *registry) join(name string, c *conn) {
	r.mu.Lock()
	r.byName.Store(name, c)
	r.mu.Unlock()
	r.members.Inc() // want `gauge r.members.Inc\(\) in join drifts from what it counts: it runs after mu is unlocked, although it counts byName`
}

func (r *registry) leave(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byName.LoadAndDelete(name); ok {
		r.members.Dec()
	}
}
