// Package limiter declares a connection limiter as proxies do: Allow(1)
// takes a slot, Allow(-1) gives it back.
package limiter

type Limiter interface {
	Allow(n int) bool
	Limit() int
}
