package logwriter_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/logwriter"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), logwriter.Analyzer, "tlog", "a", "typeparams", "suppress", "cmdmain", "example.com/pipes")
}

func TestSuggestedFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), logwriter.Analyzer, "fix")
}
