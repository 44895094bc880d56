// Package analyzers lists the proxylint suite: every user-facing check, in the
// order the documentation presents them. The command, the golangci-lint
// plugin and the documentation generator all take the suite from here.
package analyzers

import (
	"fmt"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/analyzers/copypipe"
	"github.com/proxylint/proxylint/analyzers/deadline"
	"github.com/proxylint/proxylint/analyzers/gaugedrift"
	"github.com/proxylint/proxylint/analyzers/idletransport"
	"github.com/proxylint/proxylint/analyzers/logwriter"
	"github.com/proxylint/proxylint/analyzers/lostclose"
	"github.com/proxylint/proxylint/analyzers/orphanconn"
	"github.com/proxylint/proxylint/analyzers/poolcleanup"
)

var suite = []*analysis.Analyzer{
	logwriter.Analyzer,
	poolcleanup.Analyzer,
	lostclose.Analyzer,
	gaugedrift.Analyzer,
	idletransport.Analyzer,
	copypipe.Analyzer,
	orphanconn.Analyzer,
	deadline.Analyzer,
}

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
