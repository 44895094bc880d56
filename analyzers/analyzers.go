// Package analyzers lists the proxylint suite: every user-facing check, in the
// order the documentation presents them. The command, the golangci-lint
// plugin and the documentation generator all take the suite from here.
package analyzers

import (
	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/analyzers/lostclose"
	"github.com/proxylint/proxylint/analyzers/poolcleanup"
)

// All returns the suite's checks.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		poolcleanup.Analyzer,
		lostclose.Analyzer,
	}
}
