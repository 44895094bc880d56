// want package:"summarised"

package typeparams

import (
	"context"
	"syscall"
)

type res struct {
	m   map[int]int
	mem []byte
}

func (r *res) Close() error { delete(r.m, 0); return syscall.Munmap(r.mem) } // want Close:"releases"

func newRes() *res { return &res{m: map[int]int{}} } // want newRes:"new 0"

type Box[T any] struct{ v T }

func (b *Box[T]) Close() error { return nil }

func Make[T any](v T) *Box[T] { return &Box[T]{v: v} } // want Make:"holds 0"

func keep[T any](ctx context.Context, v T) *res { // want keep:"new 0"
	r := newRes()
	_ = Make(v)
	return r
}

func lose[T any](v T) T { // want lose:"returns 0"
	r := newRes()
	_ = r.m
	return v
}
