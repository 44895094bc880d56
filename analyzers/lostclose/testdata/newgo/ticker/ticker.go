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

// A clock wrapper whose Stop only stops the ticker it holds: as much a
// resource as the ticker, and no more.
type clockTicker struct{ t *time.Ticker }

func (c *clockTicker) C() <-chan time.Time { return c.t.C }
func (c *clockTicker) Stop()               { c.t.Stop() }

func newClockTicker(d time.Duration) *clockTicker { return &clockTicker{t: time.NewTicker(d)} }

func (q *querier) pollClock(ctx context.Context, answers chan string) (string, error) {
	t := newClockTicker(time.Second)
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

// Still a resource: a Stop that stops the ticker and ends the goroutine
// started on the value.
type pumpTicker struct {
	t    *time.Ticker
	done chan struct{}
}

func newPumpTicker(d time.Duration, f func()) *pumpTicker {
	p := &pumpTicker{t: time.NewTicker(d), done: make(chan struct{})}
	go p.pump(f)
	return p
}

func (p *pumpTicker) pump(f func()) {
	for {
		select {
		case <-p.t.C:
			f()
		case <-p.done:
			return
		}
	}
}

func (p *pumpTicker) Stop() { p.t.Stop(); close(p.done) }

func (q *querier) pump(ctx context.Context) {
	p := newPumpTicker(time.Second, q.send) // want `p \(\*pumpTicker from newPumpTicker\) is never stopped`
	<-ctx.Done()
	_ = p.t
}
