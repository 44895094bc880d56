// Package wasm stands in for a WebAssembly runtime and its HTTP middleware:
// a middleware owns a runtime and releases it only on Close; the handlers it
// builds do not keep it.
package wasm

import (
	"context"
	"net/http"
	"syscall"
)

// Runtime holds compiled modules until it is closed.
type Runtime interface {
	Compile(ctx context.Context, name string, code []byte) error
	Close(ctx context.Context) error
}

type runtime struct {
	modules map[string][]byte
	code    []byte // compiled code, mapped
}

func NewRuntime(ctx context.Context) Runtime { return &runtime{modules: map[string][]byte{}} }

func (r *runtime) Compile(ctx context.Context, name string, code []byte) error {
	r.modules[name] = code
	return nil
}

func (r *runtime) Close(ctx context.Context) error {
	for name := range r.modules {
		delete(r.modules, name)
	}
	return syscall.Munmap(r.code)
}

type Middleware interface {
	NewHandler(ctx context.Context, next http.Handler) http.Handler
	Close(ctx context.Context) error
}

type middleware struct{ rt Runtime }

// NewMiddleware compiles code into a new runtime that the middleware owns.
func NewMiddleware(ctx context.Context, code []byte) (Middleware, error) {
	rt := NewRuntime(ctx)
	if err := rt.Compile(ctx, "guest", code); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return &middleware{rt: rt}, nil
}

func (m *middleware) NewHandler(ctx context.Context, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}

func (m *middleware) Close(ctx context.Context) error { return m.rt.Close(ctx) }
