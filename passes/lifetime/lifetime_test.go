package lifetime_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/passes/lifetime"
)

// TestFacts checks the release and ownership facts.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lifetime.Analyzer, "wasmrt", "wasmmw", "helpers", "typeparams", "wrappers", "logs", "example.com/srv")
}
