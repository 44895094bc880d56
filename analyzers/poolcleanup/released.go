package poolcleanup

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/ssair"
)

// A pool that only ever receives released values drops nothing that needs
// a release: the value is closed, or reset with nil (a stream encoder's
// Reset(nil), which stops the goroutines of the stream it ran), before
// every Put of its type. Whatever New or a get-or-create makes is lent to
// the code that uses it, and comes back to the pool only through a Put.

// releasedPuts records, for each type put in a pool of the package, whether
// every one of its Puts is preceded by a release of the value.
func (c *checker) releasedPuts() {
	c.putsReleased = &typeutil.Map{}
	for _, fn := range c.ir.SrcFuncs() {
		for _, s := range c.sinks(fn) {
			if _, ok := s.instr.(ssa.CallInstruction); !ok {
				continue // New's return or a merge with Get: lent, not pooled
			}
			v := ssair.Unconvert(s.val)
			t := v.Type()
			ok := c.releasedBefore(v, s.instr)
			if prev, seen := c.putsReleased.At(t).(bool); seen {
				ok = ok && prev
			}
			c.putsReleased.Set(t, ok)
		}
	}
}

// putReleased reports whether values of type t enter the package's pools
// only released: at least one Put of a type t is assignable to, and none
// that is not preceded by a release.
func (c *checker) putReleased(t types.Type) bool {
	found, all := false, true
	c.putsReleased.Iterate(func(pt types.Type, v any) {
		if !types.Identical(pt, t) && !(isInterface(pt) && !isEmptyIface(pt) && types.AssignableTo(t, pt)) {
			return
		}
		found = true
		all = all && v.(bool)
	})
	return found && all
}

func isEmptyIface(t types.Type) bool {
	it, ok := t.Underlying().(*types.Interface)
	return ok && it.NumMethods() == 0
}

// releasedBefore reports whether a call that releases v (its type's release
// method, or a Reset that releases, given only nil) comes before the Put on
// every path to it: in its block before it, or in a block that dominates it.
func (c *checker) releasedBefore(v ssa.Value, put ssa.Instruction) bool {
	rel, _ := c.res.IsResource(v.Type())
	if rel == nil {
		rel = c.res.StopMethod(v.Type())
	}
	for b := put.Block(); b != nil; b = b.Idom() {
		for _, instr := range b.Instrs {
			if b == put.Block() && instr == put {
				break
			}
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			m, recv, args := methodCall(call.Common())
			if m == nil || !sameValue(recv, v) {
				continue
			}
			if rel != nil && m.Origin() == rel.Origin() {
				return true
			}
			if m.Name() == "Reset" && len(args) > 0 && allNil(args) && c.res.FuncReleases(m) {
				return true
			}
		}
	}
	return false
}

// methodCall returns the method a call invokes, its receiver and its other
// arguments.
func methodCall(cc *ssa.CallCommon) (*types.Func, ssa.Value, []ssa.Value) {
	if cc.IsInvoke() {
		return cc.Method, cc.Value, cc.Args
	}
	callee := cc.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(cc.Args) == 0 {
		return nil, nil, nil
	}
	obj := lifetime.FuncObject(callee)
	if obj == nil {
		return nil, nil, nil
	}
	return obj, cc.Args[0], cc.Args[1:]
}

func allNil(args []ssa.Value) bool {
	for _, a := range args {
		k, ok := ssair.Unconvert(a).(*ssa.Const)
		if !ok || !k.IsNil() {
			return false
		}
	}
	return true
}

// sameValue reports whether a and b denote one value: the same SSA value, or
// loads of one address (w.e read twice, a captured variable read twice).
func sameValue(a, b ssa.Value) bool {
	a, b = ssair.Unconvert(a), ssair.Unconvert(b)
	if a == b {
		return true
	}
	switch x := a.(type) {
	case *ssa.Field:
		y, ok := b.(*ssa.Field)
		return ok && x.Field == y.Field && sameValue(x.X, y.X)
	case *ssa.UnOp:
		y, ok := b.(*ssa.UnOp)
		return ok && x.Op == token.MUL && y.Op == token.MUL && sameAddr(x.X, y.X)
	}
	return false
}

func sameAddr(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fx, ok1 := a.(*ssa.FieldAddr)
	fy, ok2 := b.(*ssa.FieldAddr)
	return ok1 && ok2 && fx.Field == fy.Field && sameValue(fx.X, fy.X)
}
