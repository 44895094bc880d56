package idletransport_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/idletransport"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), idletransport.Analyzer, "a", "b", "c", "typeparams", "suppress", "cmdmain", "rotate")
}

func TestSuggestedFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), idletransport.Analyzer, "fix")
}
