package a

import (
	"context"
	"runtime"
	"sync"

	"wasmapi"
)

// The shape of http-wasm-host-go v0.6.0: guests cached in a pool without
// New; created in two places, put back directly and through a method value.

type guest struct {
	mod    wasmapi.Module
	handle wasmapi.Function
}

type middleware struct {
	rt   wasmapi.Runtime
	pool sync.Pool
}

func (m *middleware) newGuest(ctx context.Context) (*guest, error) {
	mod, err := m.rt.InstantiateModule(ctx, "guest")
	if err != nil {
		return nil, err
	}
	return &guest{mod: mod, handle: mod.ExportedFunction("handle")}, nil
}

func newMiddleware(ctx context.Context, rt wasmapi.Runtime) (*middleware, error) {
	m := &middleware{rt: rt}
	if g, err := m.newGuest(ctx); err != nil { // want `\*guest created here is put in a sync.Pool at line 37, but its field mod \(wasmapi.Module\) must be released`
		return nil, err
	} else {
		m.pool.Put(g)
	}
	return m, nil
}

func (m *middleware) getOrCreateGuest(ctx context.Context) (*guest, error) {
	pg := m.pool.Get()
	if pg == nil {
		g, err := m.newGuest(ctx) // want `\*guest created here takes the place of a value from the sync.Pool's Get`
		if err != nil {
			return nil, err
		}
		pg = g
	}
	return pg.(*guest), nil
}

type requestState struct {
	putPool func(any)
	g       *guest
}

func (r *requestState) Close() {
	if r.g != nil {
		r.putPool(r.g)
		r.g = nil
	}
}

func (m *middleware) handle(ctx context.Context) error {
	g, err := m.getOrCreateGuest(ctx)
	if err != nil {
		return err
	}
	s := &requestState{putPool: m.pool.Put, g: g}
	defer s.Close()
	_, err = g.handle.Call(ctx)
	return err
}

// The fixed shape (v0.7.0): every created guest gets a finalizer before it
// can reach the pool, and the eager guest goes through getOrCreate.

type fixedMiddleware struct {
	rt   wasmapi.Runtime
	pool sync.Pool
}

func (m *fixedMiddleware) newGuest(ctx context.Context) (*guest, error) {
	mod, err := m.rt.InstantiateModule(ctx, "guest")
	if err != nil {
		return nil, err
	}
	return &guest{mod: mod}, nil
}

func (m *fixedMiddleware) getOrCreateGuest(ctx context.Context) (*guest, error) {
	pg := m.pool.Get()
	if pg == nil {
		g, err := m.newGuest(ctx)
		if err != nil {
			return nil, err
		}
		runtime.SetFinalizer(g, func(g *guest) {
			_ = g.mod.Close(context.Background())
		})
		pg = g
	}
	return pg.(*guest), nil
}

func newFixedMiddleware(ctx context.Context, rt wasmapi.Runtime) (*fixedMiddleware, error) {
	m := &fixedMiddleware{rt: rt}
	g, err := m.getOrCreateGuest(ctx)
	if err != nil {
		return nil, err
	}
	m.pool.Put(g)
	return m, nil
}

func (m *fixedMiddleware) handle(ctx context.Context) error {
	g, err := m.getOrCreateGuest(ctx)
	if err != nil {
		return err
	}
	put := m.pool.Put
	defer put(g)
	_, err = g.handle.Call(ctx)
	return err
}
