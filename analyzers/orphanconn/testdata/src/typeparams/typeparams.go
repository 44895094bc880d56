package typeparams

import "context"

func Run[T any](ctx context.Context, f func() T) (T, error) {
	ch := make(chan T)
	go func() {
		ch <- f() // want `this send on an unbuffered channel blocks forever`
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func RunBuffered[T any](ctx context.Context, f func() T) (T, error) {
	ch := make(chan T, 1)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
