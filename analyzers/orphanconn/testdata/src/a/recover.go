package a

import (
	"context"
	"errors"
	"time"
)

// A deferred recover that reports the panic sends only when the body did
// not complete: with the body's one send, one slot is enough.
func callRecovered(step func() error, d time.Duration) error {
	ch := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- errors.New("panic")
			}
		}()
		if err := step(); err != nil {
			ch <- err
			return
		}
		ch <- nil
	}()
	select {
	case err := <-ch:
		return err
	case <-time.After(d):
		return errors.New("timeout")
	}
}

// Two sends on one path still need two slots, recover or not.
func callTwice(step func() error, d time.Duration) error {
	ch := make(chan error, 1) // want `this channel has room for 1 values but 2 sends can happen`
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- errors.New("panic")
			}
		}()
		ch <- step()
		ch <- step()
	}()
	select {
	case err := <-ch:
		return err
	case <-time.After(d):
		return errors.New("timeout")
	}
}

// A hook channel that only tests send on, received beside the loop's
// context stop: the loop stops on the context.
type hooked struct {
	ctx    context.Context
	inject chan int
	last   int
}

func newHooked(ctx context.Context) *hooked {
	h := &hooked{ctx: ctx, inject: make(chan int, 1)}
	go h.loop()
	return h
}

func (h *hooked) loop() {
	for {
		select {
		case v := <-h.inject:
			h.last = v
		case <-h.ctx.Done():
			return
		}
	}
}
