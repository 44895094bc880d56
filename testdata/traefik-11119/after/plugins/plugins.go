// Package plugins builds the wasm plugin middleware of a route; it runs on
// every configuration reload.
package plugins

import (
	"context"
	"net/http"
	"os"
	"runtime"

	"example.com/traefik11119/wasm"
)

type Builder struct{ path string }

// compile reads the plugin and compiles it into a new middleware.
func (b *Builder) compile(ctx context.Context) (wasm.Middleware, error) {
	code, err := os.ReadFile(b.path)
	if err != nil {
		return nil, err
	}
	return wasm.NewMiddleware(ctx, code)
}

// NewHandler compiles the plugin anew and returns its handler; when the
// handler is dropped after a reload, a cleanup closes the middleware.
func (b *Builder) NewHandler(ctx context.Context, next http.Handler) (http.Handler, error) {
	mw, err := b.compile(ctx)
	if err != nil {
		return nil, err
	}
	h := mw.NewHandler(ctx, next)
	runtime.AddCleanup(&h, func(mw wasm.Middleware) { _ = mw.Close(context.Background()) }, mw)
	return h, nil
}
