package a

import (
	"context"
	"net"
)

// ---- reported: channel fields nothing can ever make ready ----

type proxy struct {
	conns   chan net.Conn
	closeCh chan struct{} // never made: nil
	stopCh  chan struct{} // made, but nothing closes it
}

func newProxy() *proxy {
	return &proxy{conns: make(chan net.Conn, 8), stopCh: make(chan struct{})}
}

func (p *proxy) run() {
	go func() {
		for {
			select {
			case <-p.closeCh: // want `p.closeCh is never assigned anywhere in package a: it is nil.*this case can never fire`
				return
			case c := <-p.conns:
				c.Close()
			}
		}
	}()
}

func (p *proxy) wait() {
	<-p.stopCh // want `nothing in package a ever sends on or closes p.stopCh, so this receive never completes: this receive blocks forever`
}

func (p *proxy) feed(c net.Conn) { p.conns <- c }

// ---- accepted ----

type server struct {
	closeCh  chan struct{}
	doneCh   chan struct{}
	Exported chan struct{} // another package may set it
}

func newServer() *server {
	return &server{closeCh: make(chan struct{}), doneCh: make(chan struct{})}
}

func (s *server) loop() {
	for {
		select {
		case <-s.closeCh:
			close(s.doneCh)
			return
		case <-s.Exported:
		}
	}
}

func (s *server) Close() { close(s.closeCh); <-s.doneCh }

// Assigned from a parameter: someone else's channel.
type watcher struct{ stop chan struct{} }

func newWatcher(stop chan struct{}) *watcher { return &watcher{stop: stop} }

func (w *watcher) wait() { <-w.stop }

// ---- reported: a wait that leaves out the cancellation checked just before ----

type pending struct {
	connected chan struct{}
	closed    chan struct{}
}

var registry = map[int]*pending{}

func dialed(id int)  { close(registry[id].connected) }
func dropped(id int) { close(registry[id].closed) }

func connect(ctx context.Context, id int) {
	p := &pending{connected: make(chan struct{}), closed: make(chan struct{})}
	registry[id] = p
	select {
	case <-ctx.Done():
		return
	default:
	}
	select { // want `this select waits only on channels another party sends on or closes, without the ctx.Done\(\) case that connect selects on`
	case <-p.connected:
	case <-p.closed:
	}
}

// The fixed connect waits on the context too.
func connectFixed(ctx context.Context, id int) {
	p := &pending{connected: make(chan struct{}), closed: make(chan struct{})}
	registry[id] = p
	select {
	case <-ctx.Done():
		return
	default:
	}
	select {
	case <-p.connected:
	case <-p.closed:
	case <-ctx.Done():
	}
}

// Draining inside the cancellation case, on purpose.
func drainAfterCancel(ctx context.Context, id int) {
	p := &pending{connected: make(chan struct{}), closed: make(chan struct{})}
	registry[id] = p
	select {
	case <-ctx.Done():
		delete(registry, id)
		select {
		case <-p.closed:
		}
	case <-p.connected:
	}
}

// The channel reaches its partner captured by a closure kept in a struct.
type conn struct {
	connected chan struct{}
	onClose   func()
}

var conns = map[int]*conn{}

func dialedConn(id int) { close(conns[id].connected) }
func closedConn(id int) { conns[id].onClose() }

func connectCaptured(ctx context.Context, id int) {
	closed := make(chan struct{})
	c := &conn{connected: make(chan struct{}), onClose: func() { close(closed) }}
	conns[id] = c
	select {
	case <-ctx.Done():
		return
	default:
	}
	select { // want `without the ctx.Done\(\) case that connectCaptured selects on`
	case <-c.connected:
	case <-closed:
	}
}

// A job carries its own caller's context: the worker gives up that job's
// reply when it ends, and its own loop ends on stop. The loop's other
// selects owe the job's context nothing.
type poolJob struct {
	ctx   context.Context
	input int
	reply chan int
}

type poolWorker struct {
	jobs    chan poolJob
	flush   chan struct{}
	sum     int
	dropped int
}

type jobPool struct {
	w    *poolWorker
	stop chan struct{}
}

func newJobPool() *jobPool {
	p := &jobPool{stop: make(chan struct{}), w: &poolWorker{jobs: make(chan poolJob), flush: make(chan struct{})}}
	go p.loop(p.w)
	return p
}

func (p *jobPool) Close() { close(p.stop) }

func (p *jobPool) loop(w *poolWorker) {
	for {
		select {
		case j := <-w.jobs:
			w.sum += j.input
			select {
			case j.reply <- w.sum:
			case <-j.ctx.Done():
				w.dropped++
			}
		case <-w.flush:
			w.sum = 0
		case <-p.stop:
			return
		}
	}
}

func (p *jobPool) Flush() { p.w.flush <- struct{}{} }

func (p *jobPool) Add(ctx context.Context, n int) (int, error) {
	j := poolJob{ctx: ctx, input: n, reply: make(chan int, 1)}
	select {
	case p.w.jobs <- j:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	return <-j.reply, nil
}

// An optional hook: a channel field that nothing assigns outside tests,
// received from only behind a nil check, or polled by a select with a
// default case. Neither can block while the field is nil.
type hooks struct {
	proceed chan struct{}
	inject  chan error
	never   chan struct{}
}

type consumer struct {
	h    hooks
	done chan struct{}
}

func newConsumer() *consumer { return &consumer{done: make(chan struct{})} }

func (c *consumer) pause() {
	if c.h.proceed != nil {
		<-c.h.proceed
	}
	if ch := c.h.inject; ch != nil {
		select {
		case err := <-ch:
			_ = err
		case <-c.done:
		}
	}
}

func (c *consumer) poll() error {
	for {
		select {
		case err := <-c.h.inject:
			return err
		default:
		}
		select {
		case <-c.done:
			return nil
		case <-c.h.never: // want `never is never assigned anywhere in package a: it is nil.*this case can never fire`
		}
	}
}

func (c *consumer) stop() { close(c.done) }

func (c *consumer) start() {
	go c.pause()
	go c.poll()
	if c.h.proceed == nil {
		return
	}
	<-c.h.proceed
}

func (c *consumer) unguarded() {
	if c.h.proceed == nil {
		println("no hook")
	}
	<-c.h.proceed // want `proceed is never assigned anywhere in package a`
}
