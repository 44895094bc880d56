package a

import (
	"context"
	"errors"
	"net"

	"helpers"
	"wasmmw"
	"wasmrt"
)

type server struct {
	rt  wasmrt.Runtime
	all []wasmrt.Runtime
	closedAll []wasmrt.Runtime
	ch  chan wasmrt.Runtime
	m   map[string]wasmrt.Runtime
}

func returned(ctx context.Context) wasmrt.Runtime {
	rt := wasmrt.NewRuntime(ctx)
	return rt
}

func returnedWithErr(ctx context.Context, fail bool) (wasmrt.Runtime, error) {
	rt, err := wasmrt.NewRuntimeE(ctx, fail)
	if err != nil {
		return nil, err
	}
	return rt, nil
}

func (s *server) stored(ctx context.Context) {
	s.rt = wasmrt.NewRuntime(ctx)
}

// Kept in a slice of the receiver: it lives as long as the server, which
// this function cannot see.
func (s *server) storedInSlice(ctx context.Context) {
	s.all = append(s.all, wasmrt.NewRuntime(ctx))
}

// Kept in a slice whose owner closes every element.
func (s *server) storedInClosedSlice(ctx context.Context) {
	s.closedAll = append(s.closedAll, wasmrt.NewRuntime(ctx))
}

func (s *server) Close(ctx context.Context) {
	for _, rt := range s.closedAll {
		rt.Close(ctx)
	}
	for _, rt := range s.m {
		rt.Close(ctx)
	}
}

func (s *server) storedInMap(ctx context.Context) {
	s.m["x"] = wasmrt.NewRuntime(ctx)
}

func (s *server) sent(ctx context.Context) {
	s.ch <- wasmrt.NewRuntime(ctx)
}

func deferred(ctx context.Context) error {
	rt := wasmrt.NewRuntime(ctx)
	defer rt.Close(ctx)
	return nil
}

func deferredLiteral(ctx context.Context) error {
	rt := wasmrt.NewRuntime(ctx)
	defer func() { _ = rt.Close(ctx) }()
	return nil
}

// Closing helpers, owning constructors and registries in another package.
func closedByHelper(ctx context.Context) {
	rt := wasmrt.NewRuntime(ctx)
	helpers.Release(rt)
}

// Kept by a holder that cannot close it: nothing ever will.
func keptByHelper(ctx context.Context) *helpers.Holder {
	return helpers.Keep(wasmrt.NewRuntime(ctx)) // want `kept only by helpers.Keep, which cannot close it`
}

// Handed to an owner that closes it.
func ownedByHelper(ctx context.Context) *helpers.Owner {
	return helpers.Own(wasmrt.NewRuntime(ctx))
}

func registered(ctx context.Context) {
	helpers.Register("x", wasmrt.NewRuntime(ctx))
}

func ownedByConstructor(ctx context.Context) wasmmw.Middleware {
	rt := wasmrt.NewRuntime(ctx)
	return wasmmw.New(rt)
}

// A helper in this package that closes.
func closeRT(rt wasmrt.Runtime) { _ = rt.Close(context.Background()) }

func closedByLocalHelper(ctx context.Context) {
	rt := wasmrt.NewRuntime(ctx)
	closeRT(rt)
}

// A value handed to a function nothing is known about may be owned there.
func handedToUnknown(ctx context.Context, f func(wasmrt.Runtime)) {
	f(wasmrt.NewRuntime(ctx))
}

// Goroutines own what they are given.
func handedToGoroutine(ctx context.Context) {
	rt := wasmrt.NewRuntime(ctx)
	go func() {
		defer rt.Close(ctx)
	}()
}

// Shared values are not new: not reported.
func shared(ctx context.Context) {
	rt := wasmrt.Shared(ctx)
	_ = helpers.Describe(rt)
}

// Lent to a helper that only reads it, then lost.
func lent(ctx context.Context) string {
	rt := wasmrt.NewRuntime(ctx) // want `rt \(wasmrt.Runtime from wasmrt.NewRuntime\) is never closed on the path to the return at line \d+`
	return helpers.Describe(rt)
}

// Closed on some paths only, on a path that runs per connection: every
// failed connection leaks one.
func somePaths(ctx context.Context, c net.Conn, fast bool) error {
	rt := wasmrt.NewRuntime(ctx) // want `rt .* is never closed on the path to the return at line \d+.*this leaks for every connection`
	if fast {
		return errors.New("fast")
	}
	return rt.Close(ctx)
}

// The same loss on an error return of a function that runs we know not how
// often: most often startup code on its way out of the process. Not reported.
func somePathsUnknown(ctx context.Context, fast bool) error {
	rt := wasmrt.NewRuntime(ctx)
	if fast {
		return errors.New("fast")
	}
	return rt.Close(ctx)
}

// But lost on the success path it is reported wherever it runs.
func successPathUnknown(ctx context.Context, fast bool) error {
	rt := wasmrt.NewRuntime(ctx) // want `rt .* is never closed on the path to the return at line \d+`
	if fast {
		return nil
	}
	return rt.Close(ctx)
}

// Closed on the error path, returned on the success path: the Traefik
// v3.1.6 early returns, done right.
func closedOnError(ctx context.Context, code []byte) (wasmrt.Module, wasmrt.Runtime, error) {
	rt := wasmrt.NewRuntime(ctx)
	mod, err := rt.Compile(ctx, code)
	if err != nil {
		_ = rt.Close(ctx)
		return nil, nil, err
	}
	return mod, rt, nil
}

// A nil check on the value itself.
func nilChecked(ctx context.Context) error {
	rt := wasmrt.NewRuntime(ctx)
	if rt == nil {
		return errors.New("no runtime")
	}
	return rt.Close(ctx)
}

// Discarded: not reported.
func discarded(ctx context.Context) {
	_, _ = wasmrt.NewRuntimeE(ctx, false)
}

// Panics are not returns.
func panics(ctx context.Context) {
	rt := wasmrt.NewRuntime(ctx)
	if rt != nil {
		panic("x")
	}
}

//lint:ignore lostclose the runtime lives for the process
func ignored(ctx context.Context) string {
	rt := wasmrt.NewRuntime(ctx)
	return helpers.Describe(rt)
}

// Reload paths that overwrite a field holding a resource.
func (s *server) Reload(ctx context.Context) {
	s.rt = wasmrt.NewRuntime(ctx) // want `field rt is overwritten with a new resource every time Reload runs \(it reloads the configuration\) without the old one being closed`
}

func (s *server) ReloadClosingOld(ctx context.Context) {
	old := s.rt
	s.rt = wasmrt.NewRuntime(ctx)
	if old != nil {
		_ = old.Close(ctx)
	}
}

func (s *server) UpdateLazily(ctx context.Context) {
	if s.rt == nil {
		s.rt = wasmrt.NewRuntime(ctx)
	}
}

// Looking at the old value is not releasing it: the nil check here guards
// a log line, not the store, and a refresh on expiry replaces a live one.
func (s *server) ReloadLogging(ctx context.Context) {
	if s.rt != nil {
		println("replacing the runtime")
	}
	s.rt = wasmrt.NewRuntime(ctx) // want `field rt is overwritten with a new resource every time ReloadLogging runs`
}

func (s *server) RefreshExpired(ctx context.Context, expired bool) {
	create := s.rt == nil
	if !create && expired {
		create = true
	}
	if create {
		s.rt = wasmrt.NewRuntime(ctx) // want `field rt is overwritten with a new resource every time RefreshExpired runs`
	}
}

func (s *server) RefreshClosingExpired(ctx context.Context, expired bool) {
	create := s.rt == nil
	if !create && expired {
		s.rt.Close(ctx)
		create = true
	}
	if create {
		s.rt = wasmrt.NewRuntime(ctx)
	}
}

func newServer(ctx context.Context) *server {
	s := &server{}
	s.rt = wasmrt.NewRuntime(ctx)
	return s
}
