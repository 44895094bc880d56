package a

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

type quiet struct {
	mu sync.Mutex
	m  map[int]bool
	g  prometheus.Gauge
}

func (q *quiet) add(k int) {
	q.mu.Lock()
	q.m[k] = true
	q.mu.Unlock()
	//lint:ignore gaugedrift keys are unique by construction and never removed
	q.g.Inc()
}
