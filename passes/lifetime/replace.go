package lifetime

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// overwrites is Overwrites without the lock.
func (r *Result) overwrites(st *ssa.Store) bool {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	if _, fresh := fa.X.(*ssa.Alloc); fresh {
		return false // initialising a new object
	}
	if newObject(fa.X) {
		return false // x := newT(); x.f = r: a constructor's new object
	}
	if madeBefore(fa.X, st) {
		return false // x = &T{}; x.f = r: a new object, read back from its variable
	}
	fn := st.Parent()
	if r.callersGuard(fn, fa) {
		return false // if s.f == nil { s.init() }: lazy, once per object
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			other, ok := instr.(*ssa.FieldAddr)
			if !ok || other == fa || other.Field != fa.Field || !types.Identical(other.X.Type(), fa.X.Type()) {
				continue
			}
			for _, ref := range *other.Referrers() {
				ld, ok := ref.(*ssa.UnOp)
				if !ok || ld.Op != token.MUL {
					continue
				}
				if NilGuards(ld, st) || r.releasesOld(ld, 0) {
					return false
				}
			}
		}
	}
	return true
}

// callersGuard reports whether fn, a method storing into the field fa of
// its receiver, is called in its package only where that field of the
// object it is called on is nil (if s.c == nil { s.init() }).
func (r *Result) callersGuard(fn *ssa.Function, fa *ssa.FieldAddr) bool {
	if r == nil || r.ir == nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 || !isParamOrSpill(fa.X, fn.Params[0]) {
		return false
	}
	calls := 0
	for _, f := range r.ir.SrcFuncs() {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok || call.Common().StaticCallee() != fn || len(call.Common().Args) == 0 {
					continue
				}
				calls++
				if !fieldNilGuarded(call.Common().Args[0], fa.Field, instr) {
					return false
				}
			}
		}
	}
	return calls > 0
}

// isParamOrSpill reports whether v is p, or a load of the cell p is
// spilled to because a closure captures it.
func isParamOrSpill(v ssa.Value, p *ssa.Parameter) bool {
	if v == p {
		return true
	}
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	cell, ok := ld.X.(*ssa.Alloc)
	if !ok || cell.Referrers() == nil {
		return false
	}
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell && st.Val == p {
			return true
		}
	}
	return false
}

// fieldNilGuarded reports whether instr runs only where field i of obj,
// read in instr's function, is nil.
func fieldNilGuarded(obj ssa.Value, i int, instr ssa.Instruction) bool {
	for _, b := range instr.Parent().Blocks {
		for _, in := range b.Instrs {
			fa, ok := in.(*ssa.FieldAddr)
			if !ok || fa.Field != i || fa.Referrers() == nil || !sameBase(fa.X, obj) {
				continue
			}
			for _, fr := range *fa.Referrers() {
				if ld, ok := fr.(*ssa.UnOp); ok && ld.Op == token.MUL && NilGuards(ld, instr) {
					return true
				}
			}
		}
	}
	return false
}

// sameBase reports whether a and b denote the same object: one value, or
// two loads of one variable (a receiver a closure captures is spilled to a
// cell, and each use loads it anew).
func sameBase(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if !ok1 || !ok2 || la.Op != token.MUL || lb.Op != token.MUL {
		return false
	}
	switch la.X.(type) {
	case *ssa.Alloc, *ssa.FreeVar:
		return la.X == lb.X
	}
	return false
}

// newObject reports whether v is the result of a call of a function of the
// same package that returns a new object on every path (a constructor).
func newObject(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok || call.Call.IsInvoke() {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Blocks == nil || callee.Pkg != call.Parent().Pkg {
		return false
	}
	any := false
	for _, b := range callee.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		if _, isAlloc := ret.Results[0].(*ssa.Alloc); !isAlloc {
			return false
		}
		any = true
	}
	return any
}

// madeBefore reports whether obj, the object a field is stored into, is a
// load of a variable (a package-level one, or a local cell) that the same
// function set to a new object on every path to the store.
func madeBefore(obj ssa.Value, st ssa.Instruction) bool {
	u, ok := obj.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return false
	}
	switch u.X.(type) {
	case *ssa.Global, *ssa.Alloc:
	default:
		return false
	}
	var sets []*ssa.Store // a Global has no referrers: look in the function
	for _, b := range st.Parent().Blocks {
		for _, in := range b.Instrs {
			if set, ok := in.(*ssa.Store); ok && set.Addr == u.X {
				sets = append(sets, set)
			}
		}
	}
	for _, set := range sets {
		if _, fresh := set.Val.(*ssa.Alloc); !fresh {
			continue
		}
		if set.Block() == st.Block() {
			for _, in := range st.Block().Instrs {
				if in == set {
					return true
				}
				if in == st {
					break
				}
			}
		} else if set.Block().Dominates(st.Block()) {
			return true
		}
	}
	return false
}

// releasesOld reports whether the old value ld, or a field of it, is
// released or handed on.
func (r *Result) releasesOld(ld ssa.Value, depth int) bool {
	for _, d := range r.disposals(ld) {
		if d.Releasing() && d.How != Returned || d.How == Closed {
			return true
		}
	}
	if depth > 0 || ld.Referrers() == nil {
		return false
	}
	for _, ref := range *ld.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, fref := range *fa.Referrers() {
			if u, ok := fref.(*ssa.UnOp); ok && u.Op == token.MUL && r.releasesOld(u, depth+1) {
				return true
			}
		}
	}
	return false
}

// NilGuards reports whether st runs only where the value ld loaded is nil:
// st's block is dominated by the branch of "ld == nil" (or "ld != nil"'s
// else) that only that test leads to.
func NilGuards(ld *ssa.UnOp, st ssa.Instruction) bool {
	for _, ref := range *ld.Referrers() {
		cmp, ok := ref.(*ssa.BinOp)
		if !ok || cmp.Op != token.EQL && cmp.Op != token.NEQ {
			continue
		}
		if k, ok := cmp.Y.(*ssa.Const); !ok || !k.IsNil() {
			if k, ok := cmp.X.(*ssa.Const); !ok || !k.IsNil() {
				continue
			}
		}
		for _, cr := range *cmp.Referrers() {
			ifi, ok := cr.(*ssa.If)
			if !ok || ifi.Cond != cmp {
				continue
			}
			succ := ifi.Block().Succs[0] // the true branch
			if cmp.Op == token.NEQ {
				succ = ifi.Block().Succs[1]
			}
			if len(succ.Preds) == 1 && succ.Dominates(st.Block()) {
				return true
			}
		}
	}
	return false
}
