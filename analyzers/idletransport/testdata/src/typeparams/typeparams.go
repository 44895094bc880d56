package typeparams

import "net/http"

type Pool[K comparable] struct{ m map[K]*http.Transport }

func (p *Pool[K]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var k K
	if p.m[k] == nil {
		p.m[k] = &http.Transport{}
	}
}

func Each[T any](items []T, w http.ResponseWriter, r *http.Request) {
	for range items {
		t := &http.Transport{} // want `on every iteration of a loop`
		t.RoundTrip(r)
	}
}

func Handler[T any](w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{} // want `on every request`
	t.RoundTrip(r)
}
