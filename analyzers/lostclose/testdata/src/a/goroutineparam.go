package a

import (
	"bufio"
	"context"
	"net"
	"sync"
)

// A connection handed to a goroutine (go handle(conn)) is the goroutine's
// to close: every path of its function must close it or hand it on.

func acceptGreeting(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go handleGreeting(conn)
	}
}

func handleGreeting(conn net.Conn) {
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return // want `conn \(net.Conn, which acceptGreeting hands to this goroutine at line 19 and does not close itself\) is never closed on the path to the return at line 26: .*close conn on that path, or defer it at the top of handleGreeting`
	}
	conn.Write([]byte(line))
	conn.Close()
}

func acceptLoopDeferred(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go handleDeferred(conn)
	}
}

func handleDeferred(conn net.Conn) {
	defer conn.Close() // every path
	if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
		return
	}
	conn.Write([]byte("ok"))
}

// The goroutine hands it on: kept by a registry that closes them.
type registry struct {
	mu    sync.Mutex
	conns map[net.Conn]bool
}

func (r *registry) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.conns {
		c.Close()
	}
}

func (r *registry) acceptInto(l net.Listener) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go r.register(conn)
	}
}

func (r *registry) register(conn net.Conn) {
	if conn.RemoteAddr() == nil {
		conn.Close()
		return
	}
	r.mu.Lock()
	r.conns[conn] = true
	r.mu.Unlock()
}

// The caller closes it too, after the goroutine is done: shared, not handed
// off.
func dialAndWait(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	done := make(chan struct{})
	go pump(conn, done)
	<-done
	return nil
}

func pump(conn net.Conn, done chan struct{}) {
	defer close(done)
	buf := make([]byte, 512)
	for {
		if _, err := conn.Read(buf); err != nil {
			return
		}
	}
}

// An accepted connection dropped by the loop itself.
func acceptLimited(l net.Listener, full func() bool) {
	for {
		conn, err := l.Accept() // want `conn \(net.Conn from l.Accept\) is never closed on the path to the return at line 113`
		if err != nil {
			return
		}
		if full() {
			continue
		}
		go handleDeferred(conn)
	}
}

// A context's cancel function replaced on every reload must cancel the old
// context first.
type ctxWorker struct {
	cancel context.CancelFunc
	stop   func()
}

func (w *ctxWorker) Reload() {
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel // want `field cancel is overwritten with a new context's cancel function every time Reload runs \(it reloads the configuration\) without the old one being called`
	go func() { <-ctx.Done() }()
}

func (w *ctxWorker) Refresh() {
	if w.cancel != nil {
		w.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	go func() { <-ctx.Done() }()
}

func (w *ctxWorker) Update() {
	old := w.stop
	ctx, cancel := context.WithCancel(context.Background())
	w.stop = cancel
	old() // the old one, called after the swap
	go func() { <-ctx.Done() }()
}

// A racer either sends its connection to the waiting caller, in a case of
// a select, or closes it once the caller has gone.
type dialed struct {
	net.Conn
	err error
}

func raceDial(ctx context.Context, addrs []string) net.Conn {
	gone := make(chan struct{})
	defer close(gone)
	results := make(chan dialed)
	for _, a := range addrs {
		go func(addr string) {
			var d net.Dialer
			conn, err := d.DialContext(ctx, "tcp", addr) // sent, or closed
			if err != nil {
				return
			}
			select {
			case results <- dialed{Conn: conn}:
			case <-gone:
				conn.Close()
			}
		}(a)
	}
	r := <-results
	return r.Conn
}

// Registered in a map and served by a goroutine: the goroutine is not its
// only owner.
type udpSession struct {
	conn net.Conn
	msgs chan []byte
}

func (s *udpSession) Close() error { return s.conn.Close() }

var sessions sync.Map

func openSession(c net.Conn) {
	s := &udpSession{conn: c, msgs: make(chan []byte)}
	sessions.Store(c.RemoteAddr().String(), s)
	go serveUDPSession(s)
}

func serveUDPSession(s *udpSession) {
	for m := range s.msgs {
		if len(m) == 0 {
			return // the registry closes it
		}
	}
}

// The caller cancels the old context before it starts the new worker.
type lighthouse struct {
	updateCancel context.CancelFunc
}

func (l *lighthouse) StartUpdater() {
	ctx, cancel := context.WithCancel(context.Background())
	l.updateCancel = cancel // its only caller cancels the old one first
	go func() { <-ctx.Done() }()
}

func (l *lighthouse) reloadInterval() {
	if l.updateCancel != nil {
		l.updateCancel()
	}
	l.StartUpdater()
}
