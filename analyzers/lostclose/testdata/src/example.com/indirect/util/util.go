// Package util hands out tickers of package tick.
package util

import (
	"time"

	"example.com/indirect/tick"
)

func NewTicker(d time.Duration) *tick.Ticker { return tick.New(d) }
