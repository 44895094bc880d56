package lostclose_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/lostclose"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lostclose.Analyzer, "a", "typeparams", "example.com/srv", "example.com/indirect/loop", "example.com/render/use", "example.com/rules/use", "example.com/valuefield/use", "example.com/stagegraph")
}

// TestGoVersion: whether a ticker nothing stops leaks depends on the Go
// version the package is written for (since Go 1.23 the garbage collector
// reclaims it).
func TestGoVersion(t *testing.T) {
	analysistest.Run(t, filepath.Join(analysistest.TestData(), "oldgo"), lostclose.Analyzer, "./...")
	analysistest.Run(t, filepath.Join(analysistest.TestData(), "newgo"), lostclose.Analyzer, "./...")
}
