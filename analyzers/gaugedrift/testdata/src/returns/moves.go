package returns

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Moving a count between labels is balanced: Dec the old label, Inc the
// new one, under the lock (the false finding issue 14 began with).
var byState = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "conns_by_state"}, []string{"state"})

type tracker struct {
	mu     sync.Mutex
	states map[int]string
}

func (t *tracker) setState(id int, state string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	old, ok := t.states[id]
	if !ok {
		return
	}
	t.states[id] = state
	byState.WithLabelValues(old).Dec()
	byState.WithLabelValues(state).Inc()
}

func (t *tracker) moveNoLock(id int, from, to string) {
	byState.WithLabelValues(from).Dec()
	byState.WithLabelValues(to).Inc()
}

func (t *tracker) add(id int, state string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.states[id]; ok {
		return
	}
	t.states[id] = state
	byState.WithLabelValues(state).Inc()
}

func (t *tracker) remove(id int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if state, ok := t.states[id]; ok {
		delete(t.states, id)
		byState.WithLabelValues(state).Dec()
	}
}

// A gauge of which owner holds each slot: assigning a slot retires its
// previous owner (a decrement that can only run before the increment) and
// counts the new one. Nothing after the increment undoes it, and nothing
// should: the count lives as long as the entry (cloudflared's connection
// slots, found by the corpus).
type slotGauge struct {
	mu    sync.Mutex
	owner map[int]string
	g     *prometheus.GaugeVec
}

func (s *slotGauge) assign(slot int, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.owner[slot]; ok {
		if old == name {
			return
		}
		s.g.WithLabelValues(old).Dec()
	}
	s.owner[slot] = name
	s.g.WithLabelValues(name).Inc()
}
