// Package ticker is built as Go 1.21 (its module's go line): a ticker that
// is never stopped ticks, and stays, for the life of the process.
package ticker

import (
	"context"
	"time"
)

type querier struct{ closed chan struct{} }

func (q *querier) send() {}

func (q *querier) query(ctx context.Context, answers chan string) (string, error) {
	t := time.NewTicker(time.Second) // want `t \(\*time.Ticker from time.NewTicker\) is never stopped on the path to the return at line 22: it is not returned, stored or handed to an owner there; stop it on that path`
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

type stats struct{ hits, shown int }

// A ticker ranged over for the life of the process: its channel is never
// closed, so the loop never ends and nothing is lost.
func (s *stats) refresh() {
	t := time.NewTicker(5 * time.Second)
	for range t.C {
		s.shown = s.hits
	}
}

// The same range with a way out of the loop loses it there.
func (s *stats) refreshUntil(done chan struct{}) {
	t := time.NewTicker(5 * time.Second) // want `t \(\*time.Ticker from time.NewTicker\) is never stopped`
	for range t.C {
		select {
		case <-done:
			return
		default:
		}
		s.shown = s.hits
	}
}

// A clock wrapper whose Stop only stops the ticker it holds: as much a
// resource as the ticker, and no more.
type clockTicker struct{ t *time.Ticker }

func (c *clockTicker) C() <-chan time.Time { return c.t.C }
func (c *clockTicker) Stop()               { c.t.Stop() }

func newClockTicker(d time.Duration) *clockTicker { return &clockTicker{t: time.NewTicker(d)} }

func (q *querier) pollClock(ctx context.Context, answers chan string) (string, error) {
	t := newClockTicker(time.Second) // want `t \(\*clockTicker from newClockTicker\) is never stopped`
	q.send()
	for {
		select {
		case <-t.C():
			q.send()
		case a := <-answers:
			return a, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}
