// Package handler runs a guest module per request, reusing instances
// through a sync.Pool.
package handler

import (
	"context"
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
	return &instance{mod: mod, handle: mod.ExportedFunction("handle")}, nil
}

// get takes an instance from the pool or makes one. The pool drops idle
// instances at every garbage collection, and nothing closes their modules:
// the runtime keeps every one of them.
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
