// Package names renders functions the way proxylint's messages name them.
package names

import "go/types"

// Func names a function as pkg.Func or pkg.Type.Method, with the package's
// name rather than its path, as a reviewer reads it in source.
func Func(fn *types.Func) string {
	if fn == nil {
		return "a function value"
	}
	name := fn.Name()
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name() + "." + name
		}
	}
	if fn.Pkg() != nil {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}
