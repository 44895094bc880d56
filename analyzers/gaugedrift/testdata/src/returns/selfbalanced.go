package returns

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// A helper that counts itself in flight for exactly its own duration
// (Inc, then a deferred Dec) changes nothing for its callers, however many
// times and on whichever branches they call it.
var workerQueue = prometheus.NewGauge(prometheus.GaugeOpts{Name: "worker_queue"})

func lookup(ctx context.Context, key int) (int, error) {
	workerQueue.Inc()
	defer workerQueue.Dec()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return key * 2, nil
}

func lookupTwice(ctx context.Context, key int) (int, error) {
	v, err := lookup(ctx, key)
	if err != nil {
		return 0, err
	}
	return lookup(ctx, v)
}

func lookupAll(ctx context.Context, keys []int, twice bool) []int {
	out := make([]int, len(keys))
	for i, k := range keys {
		if twice {
			out[i], _ = lookupTwice(ctx, k)
			continue
		}
		out[i], _ = lookup(ctx, k)
	}
	return out
}

// A helper that only increments is still an increment its callers must
// undo.
func beginJob() { workerQueue.Inc() }

func runJob(ctx context.Context) error {
	beginJob() // want `gauge beginJob\(\) in runJob before Err, which can fail`
	if err := ctx.Err(); err != nil {
		return err
	}
	workerQueue.Dec()
	return nil
}
