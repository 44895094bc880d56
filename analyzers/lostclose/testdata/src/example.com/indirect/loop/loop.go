// Package loop uses tick's tickers through util only: tick's methods are
// known to it from type information alone.
package loop

import (
	"context"
	"time"

	"example.com/indirect/util"
)

func Run(ctx context.Context, d time.Duration, f func()) {
	t := util.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			f()
		case <-ctx.Done():
			return
		}
	}
}

func RunLeaky(ctx context.Context, d time.Duration, f func()) {
	t := util.NewTicker(d) // want `t \(\*tick.Ticker from util.NewTicker\) is never stopped`
	for {
		select {
		case <-t.C:
			f()
		case <-ctx.Done():
			return
		}
	}
}
