package orphanconn_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/orphanconn"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), orphanconn.Analyzer, "a", "cmdmain", "typeparams")
}

func TestSuggestedFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), orphanconn.Analyzer, "fix")
}
