package idletransport

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/ssair"
)

// lostOnlyFailing reports whether every return that loses the transport
// reports a failure, every other path keeps it where it can be released,
// and the function sends no request through it: a constructor that gives
// up before its transport has carried anything (an option that fails to
// wrap it) leaves no idle connection behind.
func lostOnlyFailing(f lifetime.Fate, v ssa.Value) bool {
	if f.Lost || len(f.Leaks) == 0 || usedForRequest(v) {
		return false
	}
	for _, d := range f.Disposals {
		if ret, ok := d.Instr.(*ssa.Return); ok && d.How == lifetime.Returned && !releasableResults(ret) {
			// Handed back in a holder that cannot release it, it is
			// lost on success too: nothing here excuses that.
			return false
		}
	}
	for _, ret := range f.Leaks {
		if !failing(ret) {
			return false
		}
	}
	return true
}

// failing reports whether ret returns an error that is surely non-nil: one
// just made (fmt.Errorf, errors.New, a Wrap), or one tested non-nil on the
// way to ret.
func failing(ret *ssa.Return) bool {
	if len(ret.Results) == 0 {
		return false
	}
	last := ret.Results[len(ret.Results)-1]
	if !types.Identical(last.Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	v := ssair.Unconvert(last)
	if call, ok := v.(*ssa.Call); ok {
		if callee := call.Call.StaticCallee(); callee != nil && callee.Pkg != nil {
			switch path, name := callee.Pkg.Pkg.Path(), callee.Name(); {
			case path == "fmt" && name == "Errorf", path == "errors" && (name == "New" || name == "Join"),
				path == "github.com/pkg/errors" && (name == "New" || name == "Errorf" || name == "Wrap" || name == "Wrapf" || name == "WithMessage"):
				return true
			}
		}
	}
	return goflow.NonNilBranch(ret.Block(), func(x ssa.Value) bool { return x == v })
}

// releasableResults reports whether every result of ret but an error is a
// transport or has a CloseIdleConnections or Close method to release one.
func releasableResults(ret *ssa.Return) bool {
	for _, r := range ret.Results {
		r = ssair.Unconvert(r)
		t := r.Type()
		if types.Identical(t, types.Universe.Lookup("error").Type()) {
			continue
		}
		if k, ok := r.(*ssa.Const); ok && k.IsNil() {
			continue
		}
		if lifetime.TransportType(t) {
			continue
		}
		ms := types.NewMethodSet(t)
		if ms.Lookup(nil, "CloseIdleConnections") == nil && ms.Lookup(nil, "Close") == nil {
			return false
		}
	}
	return true
}
