package idletransport

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

// replacedStore returns the store by which f's transport replaces, in a
// field of a long-lived object, one the function neither releases nor
// hands on (the lifetime model's Overwrites), or nil.
func (a *analysis_) replacedStore(f lifetime.Fate) *ssa.Store {
	for _, d := range f.Disposals {
		if st, ok := d.Instr.(*ssa.Store); ok && d.How == lifetime.Stored && a.res.Overwrites(st) {
			return st
		}
	}
	return nil
}

// reportReplaced reports a transport with no idle bound that a repeated
// path stores over the one before it, never releasing that one: a
// rotation (every N minutes, on every reload) leaves each replaced pool's
// idle connections open forever. The finding is at each transport literal
// of this package the stored value carries, the line to change.
func (a *analysis_) reportReplaced(fn *ssa.Function, b lifetime.Birth, st *ssa.Store, why string) bool {
	lits := transportLits(b.Value, 0)
	if len(lits) == 0 {
		if _, ok := b.Value.(*ssa.Alloc); !ok {
			return false // built elsewhere: its bound is not ours to judge
		}
		lits = []*ssa.Alloc{b.Value.(*ssa.Alloc)}
	}
	field := "?"
	if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
		if p, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
			if s, ok := p.Elem().Underlying().(*types.Struct); ok && fa.Field < s.NumFields() {
				field = s.Field(fa.Field).Name()
			}
		}
	}
	reported := false
	for _, lit := range lits {
		if boundedDepth(lit, 0) || lifetime.DialsCaptured(lit) {
			continue
		}
		pos := lit.Pos()
		if p, ok := a.lits[pos]; ok {
			pos = p
		}
		a.r.Report(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(
			"this transport, with no IdleConnTimeout, is stored in field %s by %s (line %d), which runs %s, over the transport stored before, and never releases that one: every replaced transport keeps its idle connections, each with its reader and writer goroutines, open forever; call CloseIdleConnections on the old transport when replacing it, or set IdleConnTimeout",
			field, reqscope.Name(fn), a.pass.Fset.Position(st.Pos()).Line, strings.TrimPrefix(why, "runs "))})
		reported = true
	}
	return reported
}

// transportLits returns the transport literals of this package that v, a
// transport or a value holding one, carries: v itself, what a callee of
// the package returns in its place, or what is stored in the fields of a
// literal returned there (a round tripper wrapping the transport).
func transportLits(v ssa.Value, depth int) []*ssa.Alloc {
	if depth > 4 {
		return nil
	}
	v = ssair.Unconvert(v)
	switch x := v.(type) {
	case *ssa.Alloc:
		if lifetime.TransportOf(x.Type(), true) != lifetime.NotTransport {
			return []*ssa.Alloc{x}
		}
		var out []*ssa.Alloc
		for _, ref := range *x.Referrers() {
			fa, ok := ref.(*ssa.FieldAddr)
			if !ok || fa.X != x {
				continue
			}
			for _, r := range *fa.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == fa {
					out = append(out, transportLits(st.Val, depth+1)...)
				}
			}
		}
		return out
	case *ssa.Phi:
		var out []*ssa.Alloc
		for _, e := range x.Edges {
			out = append(out, transportLits(e, depth+1)...)
		}
		return out
	case *ssa.Extract, *ssa.Call:
		results, _ := packageReturns(x)
		var out []*ssa.Alloc
		for _, r := range results {
			out = append(out, transportLits(r, depth+1)...)
		}
		return out
	}
	return nil
}
