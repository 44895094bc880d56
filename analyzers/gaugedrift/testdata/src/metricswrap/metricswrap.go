// Package metricswrap wraps a go-kit gauge in its own type, as proxies do.
package metricswrap

import "github.com/go-kit/kit/metrics"

type Gauge struct {
	g metrics.Gauge
}

func New(g metrics.Gauge) *Gauge { return &Gauge{g: g} }

// Add and Set forward with a delta of unknown sign: not findings.
func (w *Gauge) Add(delta float64) { w.g.Add(delta) }

func (w *Gauge) Set(v float64) { w.g.Set(v) }
