package typeparams

import (
	"context"
	"syscall"
)

type res struct {
	m   map[int]int
	mem []byte
}

func (r *res) Close() error { delete(r.m, 0); return syscall.Munmap(r.mem) }

func newRes() *res { return &res{m: map[int]int{}} }

type Box[T any] struct{ v T }

func (b *Box[T]) Close() error { return nil }

func Make[T any](v T) *Box[T] { return &Box[T]{v: v} }

func keep[T any](ctx context.Context, v T) *res {
	r := newRes()
	_ = Make(v)
	return r
}

func lose[T any](v T) T {
	r := newRes() // want `r \(\*res from newRes\) is never closed`
	_ = r.m
	return v
}
