// Package plugins builds the wasm plugin middleware of a route; it runs on
// every configuration reload.
package plugins

import (
	"context"
	"net/http"
	"os"

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

// NewHandler compiles the plugin anew and returns its handler. Only the
// handler escapes: nothing can close the middleware, and each reload keeps
// one more runtime alive.
func (b *Builder) NewHandler(ctx context.Context, next http.Handler) (http.Handler, error) {
	mw, err := b.compile(ctx)
	if err != nil {
		return nil, err
	}
	return mw.NewHandler(ctx, next), nil
}
