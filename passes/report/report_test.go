package report_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/passes/report"
)

// bad reports every call of a function named bad, through the reporter.
var bad = &analysis.Analyzer{
	Name:     "bad",
	Doc:      "reports calls of bad",
	Requires: []*analysis.Analyzer{report.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass)
		defer r.Finish()
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "bad" {
						r.Reportf(call.Pos(), "call of bad")
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), bad, "r", "fileignore")
}

func TestTestFiles(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), bad, "tests")
}
