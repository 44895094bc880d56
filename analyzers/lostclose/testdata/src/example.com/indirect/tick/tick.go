// Package tick is a ticker fed by its own goroutine until Stop.
package tick

import (
	"sync"
	"time"
)

type Ticker struct {
	C        <-chan time.Time
	c        chan time.Time
	stop     chan struct{}
	stopOnce sync.Once
}

func New(d time.Duration) *Ticker {
	c := make(chan time.Time)
	t := &Ticker{C: c, c: c, stop: make(chan struct{})}
	go t.run(d)
	return t
}

func (t *Ticker) Stop() { t.stopOnce.Do(func() { close(t.stop) }) }

func (t *Ticker) run(d time.Duration) {
	for {
		select {
		case <-time.After(d):
			select {
			case t.c <- time.Now():
			case <-t.stop:
				return
			}
		case <-t.stop:
			return
		}
	}
}
