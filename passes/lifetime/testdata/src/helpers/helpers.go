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

// Holder owns a runtime.
type Holder struct{ rt wasmrt.Runtime }

// Keep stores rt in the holder it returns.
func Keep(rt wasmrt.Runtime) *Holder { return &Holder{rt: rt} } // want Keep:"takes 0"

// Describe only reads rt.
func Describe(rt wasmrt.Runtime) string { return "runtime" } // want Describe:"owns nothing"

// Registry keeps runtimes.
var Registry = map[string]wasmrt.Runtime{}

// Register stores rt in the registry.
func Register(name string, rt wasmrt.Runtime) { Registry[name] = rt } // want Register:"takes 1"
