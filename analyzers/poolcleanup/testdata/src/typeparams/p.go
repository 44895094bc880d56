package typeparams

import (
	"context"
	"runtime"
	"sync"
)

// res cancels a context when closed: a real release (a Close that only
// closes a channel nothing waits on releases nothing).
type res struct{ cancel context.CancelFunc }

func (r *res) Close() error { r.cancel(); return nil }

type holder[T any] struct {
	r *res
	v T
}

// Generic pool wrapper: typed Get/Put.
type Pool[T any] struct{ p sync.Pool }

func (p *Pool[T]) Get() (T, bool) {
	v, ok := p.p.Get().(T)
	return v, ok
}

func (p *Pool[T]) Put(v T) { p.p.Put(v) }

func fill[T any](p *sync.Pool, v T) {
	h := &holder[T]{r: &res{cancel: func() {}}, v: v} // want `\*holder\[T\] created here is put in a sync.Pool`
	p.Put(h)
}

func fillClean[T any](p *sync.Pool, v T) {
	h := &holder[T]{r: &res{cancel: func() {}}, v: v}
	runtime.AddCleanup(h, func(r *res) { r.Close() }, h.r)
	p.Put(h)
}

func use() {
	var p Pool[*holder[int]]
	h, ok := p.Get()
	if ok {
		p.Put(h)
	}
}
