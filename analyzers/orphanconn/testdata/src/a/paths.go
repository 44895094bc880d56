package a

import (
	"context"
	"errors"
)

// Two sends on exclusive paths, each followed by a return: one value per
// run, and the buffer of one is enough.
func exclusive(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		c, err := dial()
		if err != nil {
			errc <- err
			return
		}
		c.Close()
		errc <- nil
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Two sends on one path: the second blocks once the receiver gave up.
func sequentialSends(ctx context.Context) error {
	errc := make(chan error, 1) // want `room for 1 values but 2 sends can happen.*make its capacity 2`
	go func() {
		_, err := dial()
		errc <- err
		errc <- errors.New("done")
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Goroutines started in a loop: the number of senders is not known, so
// no capacity is suggested for a buffered channel.
func loopSenders(ctx context.Context, n int) error {
	errc := make(chan error, 1)
	for i := 0; i < n; i++ {
		go func() { _, err := dial(); errc <- err }()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

type readResult struct {
	buf []byte
	err error
}

func asyncRead(c interface{ Read([]byte) (int, error) }, bufs <-chan []byte, results chan<- readResult) {
	for buf := range bufs {
		n, err := c.Read(buf)
		results <- readResult{buf[:n], err} // want `this send on an unbuffered channel blocks forever once the receiver gives up`
	}
}

// A receiving loop that stops on another channel (done) leaves the reader
// goroutine blocked on its send.
func pump(c interface{ Read([]byte) (int, error) }, done <-chan struct{}, out func([]byte)) {
	bufs := make(chan []byte)
	defer close(bufs)
	results := make(chan readResult)
	go asyncRead(c, bufs, results)
	buf := make([]byte, 1024)
	for {
		bufs <- buf
		var r readResult
		select {
		case <-done:
			return
		case r = <-results:
		}
		if r.err != nil {
			return
		}
		out(r.buf)
	}
}

func asyncReadFixed(done <-chan struct{}, c interface{ Read([]byte) (int, error) }, bufs <-chan []byte, results chan<- readResult) {
	for buf := range bufs {
		n, err := c.Read(buf)
		select {
		case results <- readResult{buf[:n], err}:
		case <-done:
			return
		}
	}
}

// The fixed pump: the send gives up too.
func pumpFixed(c interface{ Read([]byte) (int, error) }, done <-chan struct{}, out func([]byte)) {
	bufs := make(chan []byte)
	defer close(bufs)
	results := make(chan readResult)
	go asyncReadFixed(done, c, bufs, results)
	buf := make([]byte, 1024)
	for {
		bufs <- buf
		var r readResult
		select {
		case <-done:
			return
		case r = <-results:
		}
		if r.err != nil {
			return
		}
		out(r.buf)
	}
}

// Two results awaited in turn, each wait abandoned on cancellation: after
// the first, the second sender blocks forever; the second select does not
// drain.
func twoWaits(ctx context.Context) error {
	errc := make(chan error)
	go func() { _, err := dial(); errc <- err }() // want `this send on an unbuffered channel blocks forever`
	go func() { _, err := dial(); errc <- err }() // want `this send on an unbuffered channel blocks forever`
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-errc:
		select {
		case <-ctx.Done():
			return err
		case err2 := <-errc:
			if err != nil {
				return err
			}
			return err2
		}
	}
}
