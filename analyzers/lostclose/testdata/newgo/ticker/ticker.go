// Package ticker is built as Go 1.23 (its module's go line): the garbage
// collector reclaims a ticker nothing references, stopped or not.
package ticker

import (
	"context"
	"time"
)

type querier struct{ closed chan struct{} }

func (q *querier) send() {}

func (q *querier) query(ctx context.Context, answers chan string) (string, error) {
	t := time.NewTicker(time.Second)
	q.send()
	for {
		select {
		case <-t.C:
			q.send()
		case a := <-answers:
			return a, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

func (q *querier) queryStopped(ctx context.Context, answers chan string) (string, error) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			q.send()
		case a := <-answers:
			return a, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// A timer fires once and is done: not a resource.
func (q *querier) wait(ctx context.Context) {
	t := time.NewTimer(time.Second)
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
