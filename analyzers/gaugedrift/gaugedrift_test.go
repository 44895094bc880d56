package gaugedrift_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/gaugedrift"
)

func TestGaugedrift(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), gaugedrift.Analyzer, "a", "typeparams", "metricswrap", "unflagged", "release", "returns", "sets", "statsconn")
}

func TestTypesFlag(t *testing.T) {
	f := gaugedrift.Analyzer.Flags.Lookup("types")
	if err := f.Value.Set("flagged.Level"); err != nil {
		t.Fatal(err)
	}
	defer f.Value.Set("")
	analysistest.Run(t, analysistest.TestData(), gaugedrift.Analyzer, "flagged")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), gaugedrift.Analyzer, "fix", "fixonce", "fixmove")
}
