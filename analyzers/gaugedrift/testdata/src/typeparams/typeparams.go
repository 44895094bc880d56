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

// A generic connection wrapper whose Close decrements on every call.
type Wrapped[C interface{ Close() error }] struct {
	inner C
	open  prometheus.Gauge
}

func Wrap[C interface{ Close() error }](c C, g prometheus.Gauge) *Wrapped[C] { // want Wrap:"counts \\+Wrapped.open"
	w := &Wrapped[C]{inner: c, open: g}
	w.open.Inc()
	return w
}

func (w *Wrapped[C]) Close() error { // want Close:"counts -Wrapped.open"
	w.open.Dec() // want `gauge w.open.Dec\(\) in Close drifts from what it counts: it runs on every call of \(\*Wrapped\).Close, which has no guard`
	return w.inner.Close()
}

// Fixed with a sync.Once.
type OnceWrapped[C interface{ Close() error }] struct {
	inner C
	once  sync.Once
	open  prometheus.Gauge
}

func (w *OnceWrapped[C]) Close() error { // want Close:"counts -OnceWrapped.open\\?"
	w.once.Do(w.open.Dec)
	return w.inner.Close()
}
