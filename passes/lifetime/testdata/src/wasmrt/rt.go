// want package:"summarised"

// Package wasmrt is a stub of a WebAssembly runtime such as wazero.
package wasmrt

import (
	"context"
	"errors"
	"syscall"
)

type Module interface {
	Name() string
	Close(ctx context.Context) error
}

type Runtime interface {
	Compile(ctx context.Context, code []byte) (Module, error)
	Close(ctx context.Context) error
}

type runtime struct {
	modules map[string]*module
	mem     []byte // compiled code, mapped
}

type module struct {
	rt   *runtime
	name string
	mem  []byte // linear memory, mapped
}

func (m *module) Name() string { return m.name }
func (m *module) Close(ctx context.Context) error { // want Close:"releases"
	delete(m.rt.modules, m.name)
	return syscall.Munmap(m.mem)
}

// NewRuntime returns a new runtime that its caller must close.
func NewRuntime(ctx context.Context) Runtime { // want NewRuntime:"new 0"
	return &runtime{modules: map[string]*module{}}
}

// NewRuntimeE returns a new runtime or an error.
func NewRuntimeE(ctx context.Context, fail bool) (Runtime, error) { // want NewRuntimeE:"new 0"
	if fail {
		return nil, errors.New("fail")
	}
	return NewRuntime(ctx), nil
}

func (r *runtime) Compile(ctx context.Context, code []byte) (Module, error) { // want Compile:"takes 0"
	m := &module{rt: r, name: string(code)}
	r.modules[m.name] = m
	return m, nil
}

func (r *runtime) Close(ctx context.Context) error { // want Close:"releases"
	for name := range r.modules {
		delete(r.modules, name)
	}
	return syscall.Munmap(r.mem)
}

// Shared returns the process-wide runtime: it is registered, not new.
var shared Runtime

func Shared(ctx context.Context) Runtime { // no fact: Shared returns a runtime it keeps
	if shared == nil {
		shared = NewRuntime(ctx)
	}
	return shared
}
