// Package helpers holds ownership helpers in another package.
package helpers

import (
	"context"
	"io"
	"log"
	"net/http"

	"wasmrt"
)

// Release closes rt.
func Release(rt wasmrt.Runtime) {
	if err := rt.Close(context.Background()); err != nil {
		log.Print(err)
	}
}

// Holder keeps a runtime but has no way to release it.
type Holder struct{ rt wasmrt.Runtime }

// Keep stores rt in the holder it returns.
func Keep(rt wasmrt.Runtime) *Holder { return &Holder{rt: rt} }

// Owner keeps a runtime and closes it.
type Owner struct{ rt wasmrt.Runtime }

func (o *Owner) Close() error { return o.rt.Close(context.Background()) }

// Own hands rt to an owner that releases it.
func Own(rt wasmrt.Runtime) *Owner { return &Owner{rt: rt} }

// Describe only reads rt.
func Describe(rt wasmrt.Runtime) string { return "runtime" }

// Registry keeps runtimes.
var Registry = map[string]wasmrt.Runtime{}

// Register stores rt in the registry.
func Register(name string, rt wasmrt.Runtime) { Registry[name] = rt }

// Drain reads a response's body to its end and closes it.
func Drain(resp *http.Response) error {
	defer resp.Body.Close()
	_, err := io.Copy(io.Discard, resp.Body)
	return err
}

// Status only looks at a response.
func Status(resp *http.Response) int { return resp.StatusCode }
