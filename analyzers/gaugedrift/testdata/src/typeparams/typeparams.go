package typeparams

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

type Set[K comparable] struct {
	mu    sync.Mutex
	items map[K]struct{}
	size  prometheus.Gauge
}

func (s *Set[K]) Add(k K) { // want Add:"counts \\+Set.size\\?"
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.items[k]; !ok {
		s.items[k] = struct{}{}
		s.size.Inc()
	}
}

func (s *Set[K]) Remove(k K) { // want Remove:"counts -Set.size"
	s.mu.Lock()
	delete(s.items, k)
	s.mu.Unlock()
	s.size.Dec() // want `gauge s.size.Dec\(\) in Remove drifts`
}

func Use() { // want Use:"counts -Set.size \\+Set.size\\?"
	s := &Set[string]{items: map[string]struct{}{}}
	s.Add("a")
	s.Remove("a")
}

// A generic gauge type parameter.
type Adder interface{ Add(float64) }

func Bump[G Adder](g G) { g.Add(1) }
