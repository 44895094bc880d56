package lostclose_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/analyzers/lostclose"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lostclose.Analyzer, "a", "typeparams")
}
