package a

import (
	"context"
	"errors"
	"net"
	"time"
)

func dial() (net.Conn, error) { return net.Dial("tcp", "x:1") }

type result struct {
	conn net.Conn
	err  error
}

// ---- reported ----

func unbuffered(ctx context.Context) (net.Conn, error) {
	ch := make(chan result)
	go func() {
		c, err := dial()
		ch <- result{c, err} // want `this send on an unbuffered channel blocks forever once the receiver gives up .* with the a.result it was to deliver`
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func unbufferedTimer() error {
	errc := make(chan error)
	go func() {
		_, err := dial()
		errc <- err // want `this send on an unbuffered channel blocks forever`
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Second):
		return errors.New("timeout")
	}
}

func bufferedNoDrain(ctx context.Context) (net.Conn, error) {
	ch := make(chan net.Conn, 1)
	go func() {
		c, _ := dial()
		ch <- c
	}()
	select { // want `when this select gives up, a net.Conn delivered later .* is never received and never closed`
	case c := <-ch:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func tooSmall(ctx context.Context) error {
	errc := make(chan error, 1) // want `room for 1 values but 2 sends`
	go func() { _, err := dial(); errc <- err }()
	go func() { _, err := dial(); errc <- err }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func viaParam(ctx context.Context) error {
	errc := make(chan error)
	go worker(errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func worker(errc chan error) {
	_, err := dial()
	errc <- err // want `this send on an unbuffered channel blocks forever`
}

func neverReady() {
	done := make(chan struct{})
	go func() {
		dial()
	}()
	<-done // want `this receive blocks forever: the channel made at line \d+ is never sent to, closed`
}

// ---- accepted ----

// remotedialer's shape: buffered, with a drain that closes a late connection.
func drained(ctx context.Context) (net.Conn, error) {
	ch := make(chan result, 1)
	go func() {
		c, err := dial()
		ch <- result{c, err}
	}()
	select {
	case <-ctx.Done():
		go func() {
			r := <-ch
			if r.err == nil {
				r.conn.Close()
			}
		}()
		return nil, ctx.Err()
	case r := <-ch:
		return r.conn, r.err
	}
}

// Buffered errors: the sender finishes, nothing to close.
func bufferedErr(ctx context.Context) error {
	errc := make(chan error, 2)
	go func() { _, err := dial(); errc <- err }()
	go func() { _, err := dial(); errc <- err }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// The send gives up too.
func selectSend(ctx context.Context) (net.Conn, error) {
	ch := make(chan net.Conn)
	go func() {
		c, _ := dial()
		select {
		case ch <- c:
		case <-ctx.Done():
			c.Close()
		}
	}()
	select {
	case c := <-ch:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// No giving up: the receiver always receives.
func noGiveUp() error {
	errc := make(chan error)
	go func() { _, err := dial(); errc <- err }()
	return <-errc
}

// Closed, or escaping: not followed.
func closedChan() {
	done := make(chan struct{})
	go func() { close(done) }()
	<-done
}

func escapes(register func(chan struct{})) {
	done := make(chan struct{})
	register(done)
	<-done
}

// A select on nil channels disables cases: not a receive that blocks forever.
func nilCase(ctx context.Context) {
	var ch chan int
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// Regression (the standard library's fuzzing coordinator): after
// cancellation the loop keeps receiving until every worker has reported, so
// no sender is left blocked.
func keepsReceiving(ctx context.Context, n int) {
	errc := make(chan error)
	for i := 0; i < n; i++ {
		go func() {
			_, err := dial()
			errc <- err
		}()
	}
	active := n
	for active > 0 {
		select {
		case <-ctx.Done():
			ctx = context.Background()
		case <-errc:
			active--
		}
	}
}

// A loop whose cancellation case returns does give up.
func loopGivesUp(ctx context.Context) error {
	errc := make(chan error)
	go func() {
		_, err := dial()
		errc <- err // want `this send on an unbuffered channel blocks forever`
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			if err == nil {
				continue
			}
			return err
		}
	}
}
