// Package conntrack keeps an OpenTelemetry up-down counter of open
// connections behind helpers, as metrics packages do; its callers in other
// packages know the helpers by their facts.
package conntrack

import (
	"context"

	"go.opentelemetry.io/otel/metric"
)

type Tracker struct {
	conns metric.Int64UpDownCounter
}

func (t *Tracker) Join() { t.conns.Add(context.Background(), 1) } // want Join:"counts \\+Tracker.conns"

func (t *Tracker) Leave(ms int64) { t.conns.Add(context.Background(), -1) } // want Leave:"counts -Tracker.conns"

// Moved takes one connection from a label to another: no net change, but
// both halves are facts.
func (t *Tracker) Moved() { // want Moved:"counts -Tracker.conns \\+Tracker.conns"
	t.conns.Add(context.Background(), -1)
	t.conns.Add(context.Background(), 1)
}

// Dec decrements whatever gauge it is given: its fact names the parameter.
func Dec(g metric.Int64UpDownCounter) { g.Add(context.Background(), -1) } // want Dec:"counts -g"
