package lifetime

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Correlated conditions. A function that creates a resource under a
// condition often keeps or releases it under the same condition tested
// again later (if cfg.Admin { c = newClient() } ... if cfg.Admin { a.db = c
// }): the path that skips the second test's keeping branch is the path
// that never made the resource. The walk of leakingReturns carries, for
// conditions the function tests more than once, the outcome the path has
// fixed, and a later branch on the same condition goes the same way.
//
// Two tests are of the same condition when they branch on one SSA value,
// or on loads of the same access path (a field chain from a parameter, a
// free variable, a global or a local variable), possibly compared with
// the same constant. A load is taken to read the same value again unless
// the function itself stores to that path on the way; what callees might
// store is not considered, as for the creation's error.

// condKey returns the key of a branch condition and whether the branch's
// sense is negated (!c), or "" where the condition has no key.
func condKey(v ssa.Value) (key string, neg bool) {
	for {
		u, ok := v.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		v, neg = u.X, !neg
	}
	if b, ok := v.(*ssa.BinOp); ok {
		if b.Op != token.EQL && b.Op != token.NEQ {
			return "", false
		}
		x, y := b.X, b.Y
		if _, isConst := x.(*ssa.Const); isConst {
			x, y = y, x
		}
		k, isConst := y.(*ssa.Const)
		if !isConst {
			return "", false
		}
		xk := valueKey(x)
		if xk == "" {
			return "", false
		}
		if b.Op == token.NEQ {
			neg = !neg
		}
		if k.IsNil() {
			return nilKey(xk), neg
		}
		return "(" + xk + "==" + k.String() + ")", neg
	}
	return valueKey(v), neg
}

// valueKey names what v reads: an access path for loads, the value itself
// otherwise.
func valueKey(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if a := addrKey(v.X); a != "" {
				return "*" + a
			}
		}
	case *ssa.Const:
		return "" // constants are pruned elsewhere
	case *ssa.Phi:
		if isBool(v.Type()) {
			return "" // boolean phis are the flags'
		}
	}
	return fmt.Sprintf("v<%p>", v)
}

// addrKey names an address by its access path, or "".
func addrKey(a ssa.Value) string {
	switch a := a.(type) {
	case *ssa.FieldAddr:
		if x := baseKey(a.X); x != "" {
			return fmt.Sprintf("%s.%d;", x, a.Field)
		}
	case *ssa.Global, *ssa.Alloc, *ssa.FreeVar, *ssa.Parameter:
		return fmt.Sprintf("a<%p>", a)
	}
	return ""
}

// baseKey names the pointer a field address is taken from.
func baseKey(x ssa.Value) string {
	switch x := x.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if a := addrKey(x.X); a != "" {
				return "*" + a
			}
		}
	case *ssa.FieldAddr:
		return addrKey(x)
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Global, *ssa.Alloc:
		return fmt.Sprintf("a<%p>", x)
	}
	return ""
}

func nilKey(xk string) string { return "(" + xk + "==nil)" }

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// repeatedConds returns the keys of the conditions fn branches on more
// than once. A nil test of a phi counts as a test of each value it merges
// (if err != nil after a branch that may have set err again: the err that
// comes in unchanged was tested before).
func repeatedConds(fn *ssa.Function) map[string]bool {
	count := map[string]int{}
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if k, _ := condKey(ifi.Cond); k != "" {
				count[k]++
				if phi := nilTestedPhi(ifi.Cond); phi != nil {
					count[k]++ // carried through its edges
					for _, e := range phi.Edges {
						if ek := valueKey(e); ek != "" {
							count[nilKey(ek)]++
						}
					}
				}
			}
		}
	}
	var out map[string]bool
	for k, n := range count {
		if n > 1 {
			if out == nil {
				out = map[string]bool{}
			}
			out[k] = true
		}
	}
	return out
}

// dominatingConds returns the outcomes of the repeated conditions that
// every path to b has fixed: a branch whose successor, entered only from
// it, dominates b.
func dominatingConds(b *ssa.BasicBlock, repeated map[string]bool) map[string]bool {
	var out map[string]bool
	for d := b.Idom(); d != nil; d = d.Idom() {
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || len(d.Succs) != 2 || d.Succs[0] == d.Succs[1] {
			continue
		}
		k, neg := condKey(ifi.Cond)
		if !repeated[k] {
			continue
		}
		for i, s := range d.Succs {
			if len(s.Preds) == 1 && s.Dominates(b) {
				if out == nil {
					out = map[string]bool{}
				}
				if _, set := out[k]; !set { // the nearest test is the last
					out[k] = (i == 0) != neg
				}
			}
		}
	}
	return out
}

// pruneConds keeps, of succs (b's successors still possible), the one a
// branch on a condition of known outcome takes.
func pruneConds(b *ssa.BasicBlock, conds map[string]bool, succs []*ssa.BasicBlock) []*ssa.BasicBlock {
	if len(conds) == 0 || len(succs) != 2 {
		return succs
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return succs
	}
	k, neg := condKey(ifi.Cond)
	val, known := conds[k]
	if k == "" || !known {
		return succs
	}
	if val != neg {
		return succs[:1]
	}
	return succs[1:]
}

// branchConds returns conds with the outcome of b's branch into succ added,
// where the condition is repeated.
func branchConds(b, succ *ssa.BasicBlock, conds, repeated map[string]bool) map[string]bool {
	if len(repeated) == 0 || len(b.Succs) != 2 || b.Succs[0] == b.Succs[1] {
		return conds
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return conds
	}
	k, neg := condKey(ifi.Cond)
	if !repeated[k] {
		return conds
	}
	val := (succ == b.Succs[0]) != neg
	if old, set := conds[k]; set && old == val {
		return conds
	}
	out := make(map[string]bool, len(conds)+1)
	for c, x := range conds {
		out[c] = x
	}
	out[k] = val
	return out
}

// forgetConds returns conds without the conditions that instrs (from index
// i) may change: a store to their access path, or the value itself defined
// again (a loop).
func forgetConds(instrs []ssa.Instruction, i int, conds map[string]bool) map[string]bool {
	if len(conds) == 0 {
		return conds
	}
	copied := false
	drop := func(match func(string) bool) {
		for k := range conds {
			if !match(k) {
				continue
			}
			if !copied {
				copied = true
				nc := make(map[string]bool, len(conds))
				for c, x := range conds {
					nc[c] = x
				}
				conds = nc
			}
			delete(conds, k)
		}
	}
	for ; i < len(instrs); i++ {
		switch instr := instrs[i].(type) {
		case *ssa.Store:
			if a := addrKey(instr.Addr); a != "" {
				drop(func(k string) bool { return strings.Contains(k, a) })
			}
		case ssa.Value:
			v := fmt.Sprintf("v<%p>", instr)
			drop(func(k string) bool { return strings.Contains(k, v) })
		}
	}
	return conds
}

// nilTestedPhi returns the phi that cond compares with nil, if any.
func nilTestedPhi(cond ssa.Value) *ssa.Phi {
	for {
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		cond = u.X
	}
	b, ok := cond.(*ssa.BinOp)
	if !ok || b.Op != token.EQL && b.Op != token.NEQ {
		return nil
	}
	x, y := b.X, b.Y
	if _, isConst := x.(*ssa.Const); isConst {
		x, y = y, x
	}
	if k, ok := y.(*ssa.Const); !ok || !k.IsNil() {
		return nil
	}
	phi, _ := x.(*ssa.Phi)
	return phi
}

// phiConds returns conds with what is known of the values that the phis of
// succ take on the edge from pred: a phi is nil where its edge value is.
func phiConds(pred, succ *ssa.BasicBlock, conds, repeated map[string]bool) map[string]bool {
	if len(conds) == 0 {
		return conds
	}
	edge := -1
	for i, p := range succ.Preds {
		if p == pred {
			edge = i
		}
	}
	if edge < 0 {
		return conds
	}
	copied := false
	for _, instr := range succ.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		pk := valueKey(phi)
		if pk == "" || edge >= len(phi.Edges) || !repeated[nilKey(pk)] {
			continue
		}
		ek := valueKey(phi.Edges[edge])
		val, known := conds[nilKey(ek)]
		if !known {
			continue
		}
		if !copied {
			copied = true
			nc := make(map[string]bool, len(conds)+1)
			for c, x := range conds {
				nc[c] = x
			}
			conds = nc
		}
		conds[nilKey(pk)] = val
	}
	return conds
}
