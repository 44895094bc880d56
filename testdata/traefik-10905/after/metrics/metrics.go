// Package metrics stands in for a metrics library: a Gauge holds a value
// that goes up and down.
package metrics

type Gauge interface {
	Add(delta float64)
	Set(value float64)
}
