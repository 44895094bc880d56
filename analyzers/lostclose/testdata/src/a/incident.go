package a

import (
	"context"
	"errors"
	"net/http"
	"os"
	"runtime"

	"wasmmw"
	"wasmrt"
)

type builder struct{ path string }

// The shape of Traefik v3.1.5: the runtime leaks on early error returns, and
// the middleware on the success path, where only its handler escapes.
func (b *builder) buildMiddleware(ctx context.Context, next http.Handler) (http.Handler, error) {
	code, err := os.ReadFile(b.path)
	if err != nil {
		return nil, err
	}
	rt := wasmrt.NewRuntime(ctx) // want `rt \(wasmrt.Runtime from wasmrt.NewRuntime\) is never closed on the path to the return at line 25`
	if len(code) == 0 {
		return nil, errors.New("empty")
	}
	opts := []wasmmw.Option{wasmmw.WithRuntime(func(context.Context) (wasmrt.Runtime, error) { return rt, nil })}
	mw, err := wasmmw.NewMiddleware(ctx, code, opts...) // want `mw \(wasmmw.Middleware from wasmmw.NewMiddleware\) is never closed on the path to the return at line 32: only mw.NewHandler\(...\) escapes, and nothing can close mw through it; this leaks every time buildMiddleware builds a handler`
	if err != nil {
		return nil, err
	}
	return mw.NewHandler(ctx, next), nil
}

// The shape of v3.1.6: a finalizer on the handler closes the middleware.
func (b *builder) buildMiddlewareFixed(ctx context.Context, next http.Handler) (http.Handler, error) {
	code, err := os.ReadFile(b.path)
	if err != nil {
		return nil, err
	}
	rt := wasmrt.NewRuntime(ctx)
	opts := []wasmmw.Option{wasmmw.WithRuntime(func(context.Context) (wasmrt.Runtime, error) { return rt, nil })}
	mw, err := wasmmw.NewMiddleware(ctx, code, opts...)
	if err != nil {
		return nil, err
	}
	h := mw.NewHandler(ctx, next)
	runtime.SetFinalizer(h, func(http.Handler) { _ = mw.Close(ctx) })
	return h, nil
}

// The same with runtime.AddCleanup.
func buildWithCleanup(ctx context.Context, next http.Handler, code []byte) (http.Handler, error) {
	mw, err := wasmmw.NewMiddleware(ctx, code)
	if err != nil {
		return nil, err
	}
	h := mw.NewHandler(ctx, next)
	runtime.AddCleanup(&h, func(mw wasmmw.Middleware) { _ = mw.Close(context.Background()) }, mw)
	return h, nil
}
