package orphanconn

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/report"
)

// checkIgnoredCancel reports a blocking wait, on channels whose partner is
// out of sight (fields, parameters, channels handed to others), that leaves
// out the cancellation the same function selects on elsewhere: when the
// context ends while it waits, the partner that was to send or close is
// gone too, and the wait, its goroutine and what it holds stay forever.
func checkIgnoredCancel(pass *analysis.Pass, r *report.Reporter, fn *ssa.Function) {
	var doneSel *ssa.Select
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if sel, ok := instr.(*ssa.Select); ok && doneSel == nil {
				for _, st := range sel.States {
					if st.Dir == types.RecvOnly && isCtxDone(st.Chan) && !perItemCtx(st.Chan) {
						doneSel = sel
					}
				}
			}
		}
	}
	if doneSel == nil {
		return
	}
	goflow.After(doneSel, func(in ssa.Instruction) bool {
		sel, ok := in.(*ssa.Select)
		if !ok || !sel.Blocking || sel == doneSel {
			return true
		}
		foreign := 0
		for _, st := range sel.States {
			if st.Dir == types.RecvOnly && goflow.IsDone(st.Chan) {
				return true // it can give up
			}
			if st.Dir == types.RecvOnly && outOfSight(st.Chan) {
				foreign++
			}
		}
		if foreign == 0 || foreign != len(sel.States) || inCancelCase(doneSel, sel) {
			return true
		}
		if report.InTestFile(pass, sel.Pos()) {
			return true
		}
		r.Report(analysis.Diagnostic{
			Pos: sel.Pos(),
			Message: fmt.Sprintf("this select waits only on channels another party sends on or closes, without the ctx.Done() case that %s selects on at line %d: when the context ends first, that party is gone and this select blocks forever with its goroutine and connection; add a case <-ctx.Done()",
				fn.Name(), pass.Fset.Position(doneSel.Pos()).Line),
		})
		return true
	})
}

// isCtxDone reports whether v is the Done() channel of a context.Context.
func isCtxDone(v ssa.Value) bool {
	call, ok := goflow.Root(v, nil).(*ssa.Call)
	if !ok || !call.Call.IsInvoke() || call.Call.Method.Name() != "Done" {
		return false
	}
	n, ok := types.Unalias(call.Call.Value.Type()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// perItemCtx reports whether done is the Done channel of a context that
// came with a value the function received (a job's own context, sent to a
// worker loop with the job): it ends that job's wait, not the function's
// life, so the function's other selects owe it nothing.
func perItemCtx(done ssa.Value) bool {
	call, ok := goflow.Root(done, nil).(*ssa.Call)
	if !ok || !call.Call.IsInvoke() {
		return false
	}
	// Down from the context to the value it was read out of: fields of a
	// struct, loads, and (through goflow.Root) the local copy j := <-jobs.
	v := call.Call.Value
	for range 8 {
		switch x := goflow.Root(v, nil).(type) {
		case *ssa.Field:
			v = x.X
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return x.Op == token.ARROW
			}
			v = x.X
		case *ssa.Extract:
			return received(x)
		default:
			return false
		}
	}
	return false
}

// received reports whether ex is a value received from a channel, alone
// or by a case of a select.
func received(ex *ssa.Extract) bool {
	if _, ok := ex.Tuple.(*ssa.Select); ok {
		return true
	}
	u, ok := ex.Tuple.(*ssa.UnOp)
	return ok && u.Op == token.ARROW
}

// outOfSight reports whether a channel's partner is outside the function:
// a channel loaded from a field, or made here and then handed away (stored,
// passed); not a channel made here and followed, a parameter or a global.
func outOfSight(v ssa.Value) bool {
	r := goflow.Root(v, nil)
	switch x := r.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return false
		}
		_, isField := x.X.(*ssa.FieldAddr)
		return isField
	case *ssa.MakeChan:
		return handedAway(x, 0)
	}
	return false
}

// handedAway reports whether v is stored somewhere other than a local
// variable, passed to a call, or captured by a closure that is.
func handedAway(v ssa.Value, depth int) bool {
	if depth > 2 {
		return false
	}
	for _, ref := range refs(v) {
		switch x := ref.(type) {
		case *ssa.Store:
			if x.Val == v {
				alloc, isAlloc := x.Addr.(*ssa.Alloc)
				if !isAlloc {
					return true // stored in a struct or a map for another party
				}
				if handedAway(alloc, depth+1) {
					return true // a captured variable handed away in a closure
				}
			}
		case *ssa.Call:
			if _, isBuiltin := x.Call.Value.(*ssa.Builtin); !isBuiltin && x.Call.Value != v {
				return true
			}
		case *ssa.MakeClosure:
			if x.Fn != v && handedAway(x, depth+1) {
				return true
			}
		case *ssa.MakeInterface, *ssa.ChangeType:
			if handedAway(x.(ssa.Value), depth+1) {
				return true
			}
		}
	}
	return false
}

// inCancelCase reports whether sel runs only inside the cancellation case
// of doneSel (a drain after cancelling, on purpose).
func inCancelCase(doneSel, sel *ssa.Select) bool {
	for i, st := range doneSel.States {
		if st.Dir == types.RecvOnly && isCtxDone(st.Chan) {
			if b := goflow.CaseBlock(doneSel, i); b != nil && b.Dominates(sel.Block()) {
				return true
			}
		}
	}
	return false
}
