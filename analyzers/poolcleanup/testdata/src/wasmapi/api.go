// Package wasmapi is a stub of wazero's api package.
package wasmapi

import "context"

type Closer interface {
	Close(ctx context.Context) error
}

type Function interface {
	Call(ctx context.Context, params ...uint64) ([]uint64, error)
}

// Module is an instantiated guest module; it stays registered in its
// runtime until closed.
type Module interface {
	Name() string
	ExportedFunction(name string) Function
	Closer
}

type Runtime interface {
	InstantiateModule(ctx context.Context, name string) (Module, error)
	Closer
}
