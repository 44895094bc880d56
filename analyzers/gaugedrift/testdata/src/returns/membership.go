package returns

import (
	"errors"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// A count of the entries of a store: it goes up where an insert says it
// added one and down wherever one is removed, so a later failure of the
// call that inserted leaves the count right.
var pendingAcks = prometheus.NewGauge(prometheus.GaugeOpts{Name: "pending_acks"})

type ackStore struct {
	mu sync.Mutex
	m  map[uint16][]byte
}

func (s *ackStore) Add(id uint16, b []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[id]; ok {
		return false
	}
	s.m[id] = b
	return true
}

func (s *ackStore) Remove(id uint16) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[id]; !ok {
		return false
	}
	delete(s.m, id)
	return true
}

func sendTracked(s *ackStore, id uint16, b []byte, send func([]byte) error) error {
	if s.Add(id, b) {
		pendingAcks.Inc()
	}
	if err := send(b); err != nil {
		return err // the entry stays in the store, to be resent
	}
	if s.Remove(id) {
		pendingAcks.Dec()
	}
	return nil
}

var sessions sync.Map

func register(id string, v any, start func() error) error {
	if _, loaded := sessions.LoadOrStore(id, v); !loaded {
		pendingAcks.Inc()
	}
	if err := start(); err != nil {
		return err
	}
	if _, ok := sessions.LoadAndDelete(id); ok {
		pendingAcks.Dec()
	}
	return nil
}

// Guarded by a call that only answers (a permit), not by an insert: the
// increment is this call's, and the failed step skips its decrement.
type permits struct{ n int }

func (p *permits) Allow() bool { return p.n > 0 }

func limited(p *permits, do func() error) error {
	if p.Allow() {
		pendingAcks.Inc() // want `gauge pendingAcks.Inc\(\) in limited before do, which can fail`
		if err := do(); err != nil {
			return err
		}
		pendingAcks.Dec()
	}
	return errors.New("no permit")
}
