package reqscope_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

var kinds = map[reqscope.Kind]string{reqscope.Unknown: "unknown", reqscope.Once: "once", reqscope.Repeated: "repeated"}

// scope reports the classification of every function with a position.
var scope = &analysis.Analyzer{
	Name:     "scope",
	Doc:      "reports reqscope.Of for each function",
	Requires: []*analysis.Analyzer{ssair.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, fn := range ssair.Of(pass).SrcFuncs() {
			if !fn.Pos().IsValid() {
				continue
			}
			s := reqscope.Of(fn)
			msg := kinds[s.Kind]
			if s.Why != "" {
				msg += ": " + s.Why
			}
			pass.Reportf(fn.Pos(), "%s", msg)
		}
		return nil, nil
	},
}

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), scope, "s", "main")
}

func TestKindsNamed(t *testing.T) {
	for _, k := range []reqscope.Kind{reqscope.Unknown, reqscope.Once, reqscope.Repeated} {
		if kinds[k] == "" {
			t.Errorf("kind %d unnamed", k)
		}
	}
}
