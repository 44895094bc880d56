// want package:"summarised"

// Package wasmmw is a stub of http-wasm-host-go's nethttp middleware.
package wasmmw

import (
	"context"
	"net/http"

	"wasmrt"
)

type Middleware interface {
	NewHandler(ctx context.Context, next http.Handler) http.Handler
	Close(ctx context.Context) error
}

type Option func(*options)

type options struct {
	newRuntime func(context.Context) (wasmrt.Runtime, error)
}

// WithRuntime makes the middleware use the runtime returned by fn.
func WithRuntime(fn func(context.Context) (wasmrt.Runtime, error)) Option {
	return func(o *options) { o.newRuntime = fn }
}

type middleware struct {
	rt wasmrt.Runtime
}

func NewMiddleware(ctx context.Context, code []byte, opts ...Option) (Middleware, error) { // want NewMiddleware:"new 0"
	o := &options{newRuntime: func(ctx context.Context) (wasmrt.Runtime, error) { return wasmrt.NewRuntime(ctx), nil }}
	for _, opt := range opts {
		opt(o)
	}
	rt, err := o.newRuntime(ctx)
	if err != nil {
		return nil, err
	}
	return &middleware{rt: rt}, nil
}

// New takes ownership of rt: the middleware closes it. Its result is a view
// of rt, new exactly when rt is.
func New(rt wasmrt.Runtime) Middleware { // want New:"takes 0, wraps 0"
	return &middleware{rt: rt}
}

type handler struct {
	next http.Handler
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.next.ServeHTTP(w, r) }

// NewHandler returns a handler that does not keep the middleware.
func (m *middleware) NewHandler(ctx context.Context, next http.Handler) http.Handler { // want NewHandler:"holds 2"
	return &handler{next: next}
}

func (m *middleware) Close(ctx context.Context) error { return m.rt.Close(ctx) } // want Close:"releases"
