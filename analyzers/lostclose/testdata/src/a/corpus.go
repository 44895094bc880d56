package a

import (
	"context"
	"net"
	"os"
	"sync"

	"wasmrt"
)

// Shapes of false findings on projects never linted before, each fixed at
// the rule that misfired.

// A Release that takes arguments is an operation (consul's KV.Release of a
// lock), not the release of the value: *kvAPI is no resource.
type kvAPI struct{ held map[string]bool }

func (k *kvAPI) Release(key string, session string) bool { delete(k.held, key); return true }

func newKV() *kvAPI { return &kvAPI{held: map[string]bool{}} }

func watchKeys(keys []string) {
	for range keys {
		kv := newKV()
		_ = kv.held
	}
}

// The receiver kept in a variable because a closure captures it is still
// the receiver: a listener stored in its field is kept (gobetween's
// Server.Listen).
type acceptor struct {
	ln   net.Listener
	quit chan struct{}
}

func (a *acceptor) Close() error { return a.ln.Close() }

func (a *acceptor) Listen(addr string) (err error) {
	a.ln, err = net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		for {
			c, err := a.ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return nil
}

// Kept by a package-level object through its setter: for the life of the
// process (a log file given to the standard logger).
type stdLogger struct {
	mu  sync.Mutex
	out *os.File
}

func (l *stdLogger) SetOutput(f *os.File) { l.mu.Lock(); l.out = f; l.mu.Unlock() }

var std = &stdLogger{}

func configureLog(path string) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	std.SetOutput(f)
}

// A runtime kept in a field of the receiver captured by a closure.
type engine struct{ rt wasmrt.Runtime }

func (e *engine) Close(ctx context.Context) error { return e.rt.Close(ctx) }

func (e *engine) start(ctx context.Context) func() {
	e.rt = wasmrt.NewRuntime(ctx)
	return func() { _ = e.rt }
}
