// Package analyzers lists the proxylint suite: every user-facing check, in the
// order of the checks' Order constants. The command, the golangci-lint
// plugin, the documentation generator and the end-to-end tests all take the
// suite from here; the list itself, suite_gen.go, is generated from the
// folders analyzers/<check>/ by `go generate ./analyzers`.
package analyzers

import (
	"fmt"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"
)

// The suite's list is generated from the check folders (suite_gen.go): a
// check is added by creating analyzers/<name>/ and running go generate.
//go:generate go run ../internal/tools/suitegen

func init() {
	for _, a := range suite {
		guard(a)
	}
}

// All returns the suite's checks.
func All() []*analysis.Analyzer {
	return append([]*analysis.Analyzer(nil), suite...)
}

// guard turns a panic of a check into an error naming the check, the package
// and the stack, so that one bad package costs one error line rather than the
// whole run; every driver then goes on with the other packages.
func guard(a *analysis.Analyzer) {
	run := a.Run
	a.Run = func(pass *analysis.Pass) (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("internal error: %s panicked on package %s: %v\n%s", a.Name, pass.Pkg.Path(), r, debug.Stack())
			}
		}()
		return run(pass)
	}
}
