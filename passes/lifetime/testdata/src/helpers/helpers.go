// want package:"summarised"

// Package helpers holds ownership helpers in another package.
package helpers

import (
	"context"
	"log"

	"wasmrt"
)

// Release closes rt.
func Release(rt wasmrt.Runtime) { // want Release:"takes 0" Release:"releases"
	if err := rt.Close(context.Background()); err != nil {
		log.Print(err)
	}
}

// Holder keeps a runtime but has no way to release it.
type Holder struct{ rt wasmrt.Runtime }

// Keep stores rt in the holder it returns: the holder keeps it alive but
// cannot close it, so the caller still owns rt.
func Keep(rt wasmrt.Runtime) *Holder { return &Holder{rt: rt} } // want Keep:"holds 0"

// Owner keeps a runtime and closes it.
type Owner struct{ rt wasmrt.Runtime }

func (o *Owner) Close() error { return o.rt.Close(context.Background()) } // want Close:"releases"

// Own hands rt to an owner that releases it.
func Own(rt wasmrt.Runtime) *Owner { return &Owner{rt: rt} } // want Own:"takes 0, wraps 0"

// Describe only reads rt.
func Describe(rt wasmrt.Runtime) string { return "runtime" } // no fact: owns nothing (the package is summarised)

// Registry keeps runtimes.
var Registry = map[string]wasmrt.Runtime{}

// Register stores rt in the registry.
func Register(name string, rt wasmrt.Runtime) { Registry[name] = rt } // want Register:"takes 1"
