package poolcleanup_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/poolcleanup"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), poolcleanup.Analyzer, "a", "typeparams", "chain/...", "example.com/codecpool", "leakyput")
}

func TestSuggestedFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), poolcleanup.Analyzer, "fix")
}
