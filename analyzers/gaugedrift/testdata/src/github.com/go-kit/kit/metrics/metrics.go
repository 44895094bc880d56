// Package metrics is a stub of go-kit's metrics interfaces.
package metrics

type Counter interface {
	With(labelValues ...string) Counter
	Add(delta float64)
}

type Gauge interface {
	With(labelValues ...string) Gauge
	Set(value float64)
	Add(delta float64)
}
