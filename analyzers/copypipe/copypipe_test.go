package copypipe_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/copypipe"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), copypipe.Analyzer, "a", "typeparams", "pipeutil", "proxy")
}
