package gaugedrift

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/names"
	"github.com/proxylint/proxylint/passes/ssair"
)

// checkReturns reports increments that some return path leaves standing,
// when the function itself takes part in undoing them on its other paths:
// it decrements, defers or starts a decrement, builds a closure that
// decrements, or wraps what it returns in a type whose Close decrements.
// The path that skips all of these is a step that failed (the increment
// came before a Dial, a Do, a Handshake) or a kind of value left unwrapped.
func (c *checker) checkReturns(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr.(type) {
			case *ssa.Defer, *ssa.Go, *ssa.MakeClosure:
				continue
			}
			for _, e := range c.effectsOf(instr) {
				// A change a callee makes only under a condition, or in a
				// closure it builds (a handler it returns), is not an
				// increment of this call.
				if e.delta <= 0 || !e.class.pairs() || e.param >= 0 || e.cond {
					continue
				}
				c.checkIncrement(fn, instr, e)
			}
		}
	}
}

func (c *checker) checkIncrement(fn *ssa.Function, inc ssa.Instruction, e effect) {
	id := e.metric.ID
	var how string
	var covers func(instr ssa.Instruction) bool
	covers = func(instr ssa.Instruction) bool {
		if send, ok := instr.(*ssa.Send); ok {
			// Handed on with what releases it (jobs <- j, where j's
			// release decrements): the receiver owns the count.
			if m := c.releaserOf(ssair.Unconvert(send.X).Type(), id); m != "" {
				if how == "" {
					how = m
				}
				return true
			}
		}
		if ret, ok := instr.(*ssa.Return); ok {
			if enteredBefore(inc, ret) {
				return true
			}
			// The value returned was wrapped before the increment
			// (w := &wrapper{...}; w.g.Inc(); return w).
			for _, r := range ret.Results {
				if m := c.releaserOf(ssair.Unconvert(r).Type(), id); m != "" {
					if how == "" {
						how = m
					}
					return true
				}
			}
			return false
		}
		for _, d := range c.effectsOf(instr) {
			if d.metric.ID == id && d.delta < 0 {
				if how == "" {
					how = "a decrement"
				}
				return true
			}
		}
		var ops []*ssa.Value
		for _, op := range instr.Operands(ops) {
			if op == nil || *op == nil {
				continue
			}
			if effs, f := c.funcEffects(*op); f != nil && decrements(effs, id) {
				if how == "" {
					how = funcName(f)
				}
				return true
			}
		}
		if v, ok := instr.(ssa.Value); ok {
			if _, isCall := instr.(*ssa.Call); isCall || isAlloc(instr) {
				if m := c.releaserOf(v.Type(), id); m != "" {
					if how == "" {
						how = m
					}
					return true
				}
				if call, ok := instr.(*ssa.Call); ok {
					if m := c.allocatesReleaser(call, id); m != "" {
						if how == "" {
							how = m
						}
						return true
					}
				}
			}
		}
		return false
	}
	if membership(inc) {
		return // it counts entries of a store; their removal is elsewhere
	}
	// Only what can run after the increment undoes it: a decrement that
	// can only come before it retires something else (the previous owner
	// of a slot, the old label of a moved count).
	any := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if instr != inc && runsAfter(inc, instr) && !rollback(inc, instr) && covers(instr) {
				any = true
			}
		}
	}
	if !any {
		return // the increment is meant to outlive the call; its pair is elsewhere
	}
	// A decrement before the increment is a move between labels (Dec old,
	// Inc new), or a replacement: balanced.
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			for _, d := range c.effectsOf(instr) {
				if d.metric.ID == id && d.delta < 0 && dominates(b, i, inc) {
					return
				}
			}
		}
	}
	var ret *ssa.Return
	if took := c.tookNonNil(inc, id); took != nil {
		// j := e.take(); if j == nil {...}: only a non-nil result holds
		// a count.
		ret = uncoveredFrom(took, covers)
	} else {
		ret = uncoveredReturn(inc, covers)
	}
	if ret == nil {
		return
	}
	text, pos, end := c.describeCall(inc)
	retLine := c.returnLine(ret)
	if step := failedStep(ret); step != "" {
		c.report(analysis.Diagnostic{
			Pos: pos, End: end,
			Message: fmt.Sprintf("%s %s in %s before %s, which can fail, and the return at line %d after its failure skips the decrement (only %s undoes it, on success): every failure leaves the %s one too high for good; increment after %s succeeds",
				e.class.noun(), text, fn.Name(), step, retLine, how, e.class.noun(), step),
			SuggestedFixes: c.moveAfterFix(inc, ret),
		})
		return
	}
	c.report(analysis.Diagnostic{
		Pos: pos, End: end,
		Message: fmt.Sprintf("%s %s in %s is not undone on the path that returns at line %d: only %s decrements %s, and that path never reaches it, so each such return leaves the %s one too high for good; count only what is undone (increment where the value is wrapped), or decrement on that path",
			e.class.noun(), text, fn.Name(), retLine, how, e.metric.Display, e.class.noun()),
	})
}

func decrements(effs []effect, id string) bool {
	for _, e := range effs {
		if e.metric.ID == id && e.delta < 0 {
			return true
		}
	}
	return false
}

func isAlloc(instr ssa.Instruction) bool {
	_, ok := instr.(*ssa.Alloc)
	return ok
}

// dominates reports whether instruction i of block b runs before instr on
// every path to it.
func dominates(b *ssa.BasicBlock, i int, instr ssa.Instruction) bool {
	ib := instr.Block()
	if b != ib {
		return b.Dominates(ib)
	}
	for j, x := range b.Instrs {
		if x == instr {
			return i < j
		}
	}
	return false
}

// releaserOf returns the release method of t (or *t) that decrements the
// counter id, named for messages, or "".
func (c *checker) releaserOf(t types.Type, id string) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || types.IsInterface(n) {
		return ""
	}
	ms := types.NewMethodSet(types.NewPointer(n))
	for name := range releaseNames {
		sel := ms.Lookup(nil, name)
		if sel == nil {
			continue
		}
		obj, ok := sel.Obj().(*types.Func)
		if !ok {
			continue
		}
		fn := c.ssaFunc(obj)
		if fn == nil {
			continue
		}
		if decrements(c.sum.of(fn), id) {
			return names.Func(obj)
		}
	}
	// Any other method that gives the count back (a batch's cleanup run
	// by its timer): the object created here carries the count for its
	// life.
	for i := 0; i < ms.Len(); i++ {
		obj, ok := ms.At(i).Obj().(*types.Func)
		if !ok || releaseNames[obj.Name()] || obj.Pkg() != c.pass.Pkg {
			continue
		}
		if fn := c.ssaFunc(obj); fn != nil && decrements(c.sum.of(fn), id) {
			return names.Func(obj)
		}
	}
	return ""
}

// allocatesReleaser returns the release method of a type the package
// function called by call allocates (a constructor returning an
// interface: WrapConn returning net.Conn), when it decrements id.
func (c *checker) allocatesReleaser(call *ssa.Call, id string) string {
	callee := call.Common().StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg {
		return ""
	}
	for _, b := range callee.Blocks {
		for _, instr := range b.Instrs {
			if a, ok := instr.(*ssa.Alloc); ok {
				if m := c.releaserOf(a.Type(), id); m != "" {
					return m
				}
			}
		}
	}
	return ""
}

// ssaFunc returns the SSA function of a declared function or method.
func (c *checker) ssaFunc(obj *types.Func) *ssa.Function {
	if len(c.funcs) == 0 {
		return nil
	}
	prog := c.funcs[0].Prog
	return prog.FuncValue(obj.Origin())
}

// uncoveredReturn returns a return reachable from start without passing an
// instruction that covers it. An increment that reports whether it took
// (limiter.Allow(1), sem.TryAcquire(1)) is followed only where it did.
func uncoveredReturn(start ssa.Instruction, covers func(ssa.Instruction) bool) *ssa.Return {
	seen := map[*ssa.BasicBlock]bool{}
	// A boolean increment (acquired := l.acquire()) tested later on the
	// way (if acquired { l.release() }) holds a count only where it is
	// true.
	took, _ := start.(*ssa.Call)
	if took != nil && !types.Identical(took.Type().Underlying(), types.Typ[types.Bool]) {
		took = nil
	}
	var walk func(b *ssa.BasicBlock, from int) *ssa.Return
	walk = func(b *ssa.BasicBlock, from int) *ssa.Return {
		for _, instr := range b.Instrs[from:] {
			if covers(instr) {
				return nil
			}
			if ret, ok := instr.(*ssa.Return); ok {
				return ret
			}
		}
		succs := b.Succs
		if iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && took != nil && len(succs) == 2 {
			if iff.Cond == ssa.Value(took) {
				succs = succs[:1]
			} else if not, ok := iff.Cond.(*ssa.UnOp); ok && not.Op == token.NOT && not.X == ssa.Value(took) {
				succs = succs[1:]
			}
		}
		for _, s := range succs {
			if seen[s] {
				continue
			}
			seen[s] = true
			if ret := walk(s, 0); ret != nil {
				return ret
			}
		}
		return nil
	}
	b := start.Block()
	for i, instr := range b.Instrs {
		if instr != start {
			continue
		}
		if succ := tookBranch(start); succ != nil {
			seen[succ] = true
			return walk(succ, 0)
		}
		return walk(b, i+1)
	}
	return nil
}

// uncoveredFrom is uncoveredReturn from the start of the block b.
func uncoveredFrom(b *ssa.BasicBlock, covers func(ssa.Instruction) bool) *ssa.Return {
	if len(b.Instrs) == 0 {
		return nil
	}
	first := b.Instrs[0]
	if covers(first) {
		return nil
	}
	if ret, ok := first.(*ssa.Return); ok {
		return ret
	}
	return uncoveredReturn(first, covers)
}

// tookNonNil returns, for an increment that is a call of a function of the
// package whose nil results hold no count (it rolls its increment back, or
// has not made it, before it returns nil), the successor of the call's
// block where the result is not nil, when the block branches on that.
func (c *checker) tookNonNil(inc ssa.Instruction, id string) *ssa.BasicBlock {
	call, ok := inc.(*ssa.Call)
	if !ok {
		return nil
	}
	switch call.Type().Underlying().(type) {
	case *types.Pointer, *types.Interface:
	default:
		return nil
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg || len(callee.Blocks) == 0 || !c.nilHoldsNoCount(callee, id) {
		return nil
	}
	blk := call.Block()
	iff, ok := blk.Instrs[len(blk.Instrs)-1].(*ssa.If)
	if !ok {
		return nil
	}
	bin, ok := iff.Cond.(*ssa.BinOp)
	if !ok || !(bin.X == ssa.Value(call) && isNil(bin.Y) || bin.Y == ssa.Value(call) && isNil(bin.X)) {
		return nil
	}
	switch bin.Op {
	case token.NEQ:
		return blk.Succs[0]
	case token.EQL:
		return blk.Succs[1]
	}
	return nil
}

func isNil(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// nilHoldsNoCount reports whether every return of fn with a nil result is
// reached with no increment of id standing: none dominates it, or a
// decrement of id after the increment does (if n.Add(1) > max { n.Add(-1);
// return nil }).
func (c *checker) nilHoldsNoCount(fn *ssa.Function, id string) bool {
	var incs, decs []ssa.Instruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, e := range c.effectsOf(instr) {
				if e.metric.ID != id {
					continue
				}
				if e.delta > 0 {
					incs = append(incs, instr)
				} else if e.delta < 0 {
					decs = append(decs, instr)
				}
			}
		}
	}
	if len(incs) == 0 {
		return false
	}
	nilRet := false
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) == 0 || !isNil(ret.Results[0]) {
			continue
		}
		nilRet = true
		for _, inc := range incs {
			if !inc.Block().Dominates(b) {
				continue
			}
			undone := false
			for _, dec := range decs {
				if dec.Block().Dominates(b) && runsAfter(inc, dec) {
					undone = true
				}
			}
			if !undone {
				return false
			}
		}
	}
	return nilRet
}

// tookBranch returns the successor on which a boolean increment (if
// lim.Allow(1) { ... }) took, when its block branches on it.
func tookBranch(instr ssa.Instruction) *ssa.BasicBlock {
	v, ok := instr.(*ssa.Call)
	if !ok {
		return nil
	}
	blk := instr.Block()
	if types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
		// sem.Acquire(ctx, 1) took only when it returned nil.
		n := len(blk.Instrs)
		if n == 0 {
			return nil
		}
		iff, ok := blk.Instrs[n-1].(*ssa.If)
		if !ok {
			return nil
		}
		if bin, ok := iff.Cond.(*ssa.BinOp); ok && (bin.X == v || bin.Y == v) {
			switch bin.Op {
			case token.NEQ:
				return blk.Succs[1]
			case token.EQL:
				return blk.Succs[0]
			}
		}
		return nil
	}
	if b, ok := v.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return nil
	}
	n := len(blk.Instrs)
	if n == 0 {
		return nil
	}
	iff, ok := blk.Instrs[n-1].(*ssa.If)
	if !ok {
		return nil
	}
	switch cond := iff.Cond.(type) {
	case *ssa.Call:
		if cond == v {
			return blk.Succs[0]
		}
	case *ssa.UnOp:
		if cond.Op == token.NOT && cond.X == v {
			return blk.Succs[1]
		}
	}
	return nil
}

// failedStep names the call whose error the return passes on, or "".
func failedStep(ret *ssa.Return) string {
	errType := types.Universe.Lookup("error").Type()
	for _, r := range ret.Results {
		if !types.Identical(r.Type(), errType) {
			continue
		}
		if k, ok := r.(*ssa.Const); ok && k.IsNil() {
			continue
		}
		return stepName(r, 0)
	}
	return ""
}

func stepName(v ssa.Value, depth int) string {
	if depth > 6 {
		return ""
	}
	switch x := v.(type) {
	case *ssa.Extract:
		return stepName(x.Tuple, depth+1)
	case *ssa.Call:
		common := x.Common()
		if common.IsInvoke() {
			return common.Method.Name()
		}
		if callee := common.StaticCallee(); callee != nil {
			if callee.Pkg != nil && (callee.Pkg.Pkg.Path() == "fmt" || callee.Pkg.Pkg.Path() == "errors") {
				// A wrapped error: the step is what produced the wrapped one.
				for _, a := range common.Args {
					if s := stepName(a, depth+1); s != "" {
						return s
					}
				}
				return ""
			}
			return callee.Name()
		}
		if common.Value != nil {
			return common.Value.Name()
		}
	case *ssa.MakeInterface:
		return stepName(x.X, depth+1)
	case *ssa.ChangeInterface:
		return stepName(x.X, depth+1)
	case *ssa.Phi:
		for _, e := range x.Edges {
			if s := stepName(e, depth+1); s != "" {
				return s
			}
		}
	case *ssa.Slice:
		return stepName(x.X, depth+1)
	case *ssa.Alloc:
		// ...args of fmt.Errorf: look at what is stored in it.
		if x.Referrers() != nil {
			for _, r := range *x.Referrers() {
				if ia, ok := r.(*ssa.IndexAddr); ok && ia.Referrers() != nil {
					for _, rr := range *ia.Referrers() {
						if st, ok := rr.(*ssa.Store); ok {
							if s := stepName(st.Val, depth+1); s != "" {
								return s
							}
						}
					}
				}
			}
		}
	}
	return ""
}

// returnLine is the line of a return, or of the closing brace for the
// implicit return at the end of a function.
func (c *checker) returnLine(ret *ssa.Return) int {
	if ret.Pos().IsValid() {
		return c.line(ret.Pos())
	}
	if syn := ret.Parent().Syntax(); syn != nil {
		return c.line(syn.End() - 1)
	}
	return c.line(ret.Parent().Pos())
}

// runsAfter reports whether instr can run after from in their function:
// later in from's block, or in a block reachable from it.
func runsAfter(from, instr ssa.Instruction) bool {
	fb, ib := from.Block(), instr.Block()
	if fb == nil || ib == nil {
		return false
	}
	if fb == ib {
		for _, x := range fb.Instrs {
			if x == from {
				break
			}
			if x == instr {
				// instr is earlier in the block: only a loop brings it
				// after from.
				return ssair.Reaches(fb.Succs, fb, nil)
			}
		}
		return true
	}
	return ssair.Reaches(fb.Succs, ib, nil)
}

// rollback reports whether instr lies in a branch taken on the value the
// increment returned (if n.Add(1) > max { n.Add(-1); return errLimit }): a
// try-acquire that gives the slot back when over the limit. Such a
// decrement does not make the function the one that undoes the increment
// on its other paths; there the count is meant to outlive the call.
func rollback(inc, instr ssa.Instruction) bool {
	v, ok := inc.(ssa.Value)
	if !ok || v.Referrers() == nil {
		return false
	}
	for _, ref := range *v.Referrers() {
		cmp, ok := ref.(*ssa.BinOp)
		if !ok {
			continue
		}
		// The branch where the new count is over the bound.
		over := -1
		switch {
		case cmp.X == v && (cmp.Op == token.GTR || cmp.Op == token.GEQ),
			cmp.Y == v && (cmp.Op == token.LSS || cmp.Op == token.LEQ):
			over = 0
		case cmp.X == v && (cmp.Op == token.LSS || cmp.Op == token.LEQ),
			cmp.Y == v && (cmp.Op == token.GTR || cmp.Op == token.GEQ):
			over = 1
		}
		if over < 0 {
			continue
		}
		for _, cr := range *cmp.Referrers() {
			ifi, ok := cr.(*ssa.If)
			if !ok {
				continue
			}
			succ := ifi.Block().Succs[over]
			if len(succ.Preds) == 1 && succ.Dominates(instr.Block()) {
				return true
			}
		}
	}
	return false
}

// membership reports whether the increment inc runs only where a call just
// added an entry to a store and said so (if s.pending.Set(id, m) { n++ },
// if _, loaded := m.LoadOrStore(k, v); !loaded { n++ }): the count follows
// the store's membership, and the entry, not this call, owns the
// decrement, made wherever the entry is removed. A store here is a method
// of this package that updates a map, or sync.Map's LoadOrStore.
func membership(inc ssa.Instruction) bool {
	b := inc.Block()
	for d := b.Idom(); d != nil; d = d.Idom() {
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond := ifi.Cond
		for {
			u, ok := cond.(*ssa.UnOp)
			if !ok || u.Op != token.NOT {
				break
			}
			cond = u.X
		}
		call := condCall(cond)
		if call == nil {
			continue
		}
		taken := false
		for _, succ := range d.Succs {
			if len(succ.Preds) == 1 && succ.Dominates(b) {
				taken = true
			}
		}
		if taken && addsEntry(call) {
			return true
		}
	}
	return false
}

// condCall returns the call a branch condition tests, through negations.
func condCall(cond ssa.Value) *ssa.Call {
	for {
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		cond = u.X
	}
	switch x := cond.(type) {
	case *ssa.Call:
		return x
	case *ssa.Extract:
		call, _ := x.Tuple.(*ssa.Call)
		return call
	}
	return nil
}

// enteredBefore reports whether the return ret, which the increment inc
// leaves standing, is reached only past a branch on a call that adds an
// entry to a store (Put: count, then if !p.push(c) { undo; return }): the
// count then follows the entry, which this call left in the store, and
// its removal elsewhere owns the decrement.
func enteredBefore(inc ssa.Instruction, ret *ssa.Return) bool {
	b := ret.Block()
	for d := b.Idom(); d != nil; b, d = d, d.Idom() {
		if ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If); ok {
			if call := condCall(ifi.Cond); call != nil && runsAfter(inc, call) && addsEntry(call) && len(b.Preds) == 1 && slices.Contains(d.Succs, b) {
				return true
			}
		}
		if d == inc.Block() {
			break
		}
	}
	return false
}

// addsEntry reports whether call adds to a store and reports whether it did.
func addsEntry(call *ssa.Call) bool {
	com := &call.Call
	if com.IsInvoke() {
		return false
	}
	callee := com.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil {
		return false
	}
	if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg().Path() == "sync" && obj.Name() == "LoadOrStore" {
		return true
	}
	if callee.Blocks == nil || callee.Pkg != call.Parent().Pkg {
		return false
	}
	for _, b := range callee.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.MapUpdate); ok {
				return true
			}
			// A slice in a field of the receiver, appended to
			// (p.conns = append(p.conns, c)).
			if st, ok := instr.(*ssa.Store); ok {
				if _, isField := st.Addr.(*ssa.FieldAddr); isField {
					if ap, ok := st.Val.(*ssa.Call); ok {
						if bi, ok := ap.Call.Value.(*ssa.Builtin); ok && bi.Name() == "append" {
							return true
						}
					}
				}
			}
		}
	}
	return false
}
