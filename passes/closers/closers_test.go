package closers_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/passes/closers"
)

// TestFacts checks the release and ownership facts.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), closers.Analyzer, "wasmrt", "wasmmw", "helpers", "typeparams", "wrappers")
}
