package a

import (
	"context"
	"os"
)

// A logger whose goroutine closes its file and returns when the context
// given to its constructor is done: it has no release method; cancelling
// the caller's context releases it.
type ctxLog struct {
	lines chan string
	out   *os.File
}

func newCtxLog(ctx context.Context, path string) (*ctxLog, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	l := &ctxLog{lines: make(chan string, 8), out: f}
	go l.run(ctx)
	return l, nil
}

func (l *ctxLog) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			l.out.Close()
			return
		case s := <-l.lines:
			l.out.WriteString(s)
		}
	}
}

func (l *ctxLog) Log(s string) {
	select {
	case l.lines <- s:
	default:
	}
}

func replayLog(ctx context.Context, path string, lines []string) error {
	l, err := newCtxLog(ctx, path)
	if err != nil {
		return err
	}
	for _, s := range lines {
		l.Log(s)
	}
	return nil
}

// The same logger with a Stop: the context alone is not how it is meant to
// end, and dropping it unstopped is a loss.
type stoppableLog struct {
	lines chan string
	done  chan struct{}
}

func newStoppableLog(ctx context.Context) *stoppableLog {
	l := &stoppableLog{lines: make(chan string), done: make(chan struct{})}
	go l.run(ctx)
	return l
}

func (l *stoppableLog) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.done:
			return
		case <-l.lines:
		}
	}
}

func (l *stoppableLog) Stop() { close(l.done) }

func useStoppable(ctx context.Context) {
	l := newStoppableLog(ctx) // want `l \(\*stoppableLog from newStoppableLog\) is never stopped`
	l.lines <- "x"
}

// The caller's context is also captured by a retry callback, so it lives in
// a variable cell: the goroutine is still handed the caller's context.
func newRetryLog(ctx context.Context, path string, attempts int) (*ctxLog, error) {
	var f *os.File
	err := retry(attempts, func() error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var err error
		f, err = os.Create(path)
		return err
	})
	if err != nil {
		return nil, err
	}
	l := &ctxLog{lines: make(chan string, 8), out: f}
	go l.run(ctx)
	return l, nil
}

func retry(n int, f func() error) error {
	var err error
	for range n {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}

func replayRetryLog(ctx context.Context, path string) error {
	l, err := newRetryLog(ctx, path, 3)
	if err != nil {
		return err
	}
	l.Log("x")
	return nil
}

// A goroutine given a context the constructor makes itself ends with
// nothing the caller can cancel: dropping the logger loses it.
func newDetachedLog(path string) (*ctxLog, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	l := &ctxLog{lines: make(chan string, 8), out: f}
	go l.run(context.Background())
	return l, nil
}

func replayDetached(path string) error {
	l, err := newDetachedLog(path) // want `l \(\*ctxLog from newDetachedLog\) is never closed`
	if err != nil {
		return err
	}
	l.Log("x")
	return nil
}
