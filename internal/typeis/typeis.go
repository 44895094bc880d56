// Package typeis holds the type predicates the checks and passes share, so
// that "is this net/http.Server" means the same thing everywhere.
package typeis

import "go/types"

// Named reports whether t, through aliases, is the named type pkg.name
// (pkg is the package's path). A generic type matches with any type
// arguments.
func Named(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkg
}

// NamedOrPointer reports whether t, or the type t points to, is the named
// type pkg.name.
func NamedOrPointer(t types.Type, pkg, name string) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return Named(t, pkg, name)
}

// Pointer reports whether t is a pointer to the named type pkg.name.
func Pointer(t types.Type, pkg, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && Named(p.Elem(), pkg, name)
}
