// Package handler runs a guest module per request, reusing instances
// through a sync.Pool.
package handler

import (
	"context"
	"runtime"
	"sync"

	"example.com/httpwasmpool/wazero"
)

type instance struct {
	mod    wazero.Module
	handle wazero.Function
}

type Handler struct {
	rt   wazero.Runtime
	pool sync.Pool
}

func (h *Handler) instantiate(ctx context.Context) (*instance, error) {
	mod, err := h.rt.Instantiate(ctx, "guest")
	if err != nil {
		return nil, err
	}
	in := &instance{mod: mod, handle: mod.ExportedFunction("handle")}
	// When the pool drops the instance, its module is closed.
	runtime.AddCleanup(in, func(m wazero.Module) { _ = m.Close(context.Background()) }, mod)
	return in, nil
}

func (h *Handler) get(ctx context.Context) (*instance, error) {
	if v := h.pool.Get(); v != nil {
		return v.(*instance), nil
	}
	return h.instantiate(ctx)
}

func (h *Handler) Handle(ctx context.Context) error {
	in, err := h.get(ctx)
	if err != nil {
		return err
	}
	defer h.pool.Put(in)
	_, err = in.handle.Call(ctx)
	return err
}
