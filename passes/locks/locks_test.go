package locks_test

import (
	"fmt"
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/locks"
	"github.com/proxylint/proxylint/passes/ssair"
)

func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), locks.Analyzer, "helpers")
}

// probe reports the lock state at every call of a function named probe.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "reports the lock state at calls of probe",
	Requires: []*analysis.Analyzer{locks.Analyzer, ssair.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := locks.Of(pass)
		for _, fn := range ssair.Of(pass).SrcFuncs() {
			fs := res.Func(fn)
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(*ssa.Call)
					if !ok {
						continue
					}
					callee, _ := call.Call.StaticCallee().Object().(*types.Func)
					if callee == nil || callee.Name() != "probe" {
						continue
					}
					h := fs.At(instr)
					pass.Reportf(call.Pos(), "must=%s may=%s", names(h.Must), names(h.May))
				}
			}
		}
		return nil, nil
	},
}

func names(set map[string]bool) string {
	var out []string
	for id := range set {
		// Drop the package path: "state.T.mu" -> "T.mu".
		parts := strings.Split(id[strings.LastIndexByte(id, '/')+1:], ".")
		out = append(out, strings.Join(parts[1:], "."))
	}
	slices.Sort(out)
	return fmt.Sprint(out)
}

func TestState(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "state")
}
