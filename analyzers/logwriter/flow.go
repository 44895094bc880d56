package logwriter

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/reqscope"
)

// fate is what happens to a writer after its creation.
type fate struct {
	closes   []ssa.Instruction // instructions after which the writer is closed
	returned []int             // results of the function that carry it
	kept     bool              // stored or sent: someone else owns it
	local    bool              // every use is a local write or a local formatting call
}

// track follows the writer v through the function.
func (c *checker) track(fn *ssa.Function, v ssa.Value) *fate {
	f := &fate{local: true}
	seen := map[ssa.Value]bool{}
	var visit func(v ssa.Value)
	visit = func(v ssa.Value) {
		if seen[v] {
			return
		}
		seen[v] = true
		for _, ref := range referrers(v) {
			switch ref := ref.(type) {
			case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType, *ssa.Phi, *ssa.TypeAssert:
				visit(ref.(ssa.Value))
			case *ssa.UnOp:
				if ref.Op == token.MUL { // load from a variable cell
					visit(ref)
				}
			case ssa.CallInstruction:
				c.trackCall(f, v, ref)
			case *ssa.Return:
				for i, r := range ref.Results {
					if r == v {
						f.returned = append(f.returned, i)
					}
				}
				f.local = false
			case *ssa.Store:
				if ref.Val != v {
					continue
				}
				if cell, ok := ref.Addr.(*ssa.Alloc); ok {
					// A local variable that lives in a cell (captured or
					// address-taken): follow its loads and captures.
					visit(cell)
					continue
				}
				f.kept = true
			case *ssa.MakeClosure:
				f.local = false
				for i, b := range ref.Bindings {
					if b == v && closureCloses(ref.Fn.(*ssa.Function).FreeVars[i], 0) {
						f.closes = append(f.closes, closureRun(ref))
					}
				}
			case *ssa.Send, *ssa.MapUpdate:
				f.kept = true
			default:
				f.local = false
			}
		}
	}
	visit(v)
	return f
}

// trackCall records what a call does to the writer v it is given.
func (c *checker) trackCall(f *fate, v ssa.Value, call ssa.CallInstruction) {
	common := call.Common()
	if isClose(common, v) {
		f.closes = append(f.closes, call)
		return
	}
	if common.IsInvoke() && common.Value == v {
		return // another method of the writer: a local use
	}
	callee := common.StaticCallee()
	if callee != nil && len(common.Args) > 0 && common.Args[0] == v && callee.Signature.Recv() != nil {
		return // a method of the writer itself, called statically
	}
	for i, arg := range common.Args {
		if arg != v {
			continue
		}
		if c.calleeOwns(callee, i) {
			f.closes = append(f.closes, call)
			return
		}
	}
	if !localFormatting(callee) {
		f.local = false
	}
	// Handing the writer to a constructor of something that can be closed
	// hands it to that owner.
	if res := common.Signature().Results(); res.Len() > 0 && hasCloser(res.At(0).Type()) {
		if _, isGo := call.(*ssa.Go); !isGo {
			f.kept = true
		}
	}
}

// isClose reports whether common calls Close or CloseWithError on v.
func isClose(common *ssa.CallCommon, v ssa.Value) bool {
	if common.IsInvoke() {
		return common.Value == v && isCloseName(common.Method.Name())
	}
	callee := common.StaticCallee()
	return callee != nil && callee.Signature.Recv() != nil && len(common.Args) > 0 && common.Args[0] == v && isCloseName(callee.Name())
}

func isCloseName(name string) bool { return name == "Close" || name == "CloseWithError" }

// closureCloses reports whether a closure closes its free variable fv (the
// writer, or a cell holding it), directly or through a nested closure.
func closureCloses(fv ssa.Value, depth int) bool {
	if depth > 3 {
		return false
	}
	for _, ref := range referrers(fv) {
		switch ref := ref.(type) {
		case ssa.CallInstruction:
			if isClose(ref.Common(), fv) {
				return true
			}
		case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
			if closureCloses(ref.(ssa.Value), depth) {
				return true
			}
		case *ssa.UnOp:
			if ref.Op == token.MUL && closureCloses(ref, depth) {
				return true
			}
		case *ssa.MakeClosure:
			for i, b := range ref.Bindings {
				if b == fv && closureCloses(ref.Fn.(*ssa.Function).FreeVars[i], depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// closureRun returns the defer or go statement that runs a closure, or the
// closure itself when it is called or kept some other way.
func closureRun(mc *ssa.MakeClosure) ssa.Instruction {
	for _, ref := range referrers(mc) {
		switch ref := ref.(type) {
		case *ssa.Defer:
			if ref.Call.Value == mc {
				return ref
			}
		case *ssa.Go:
			if ref.Call.Value == mc {
				return ref
			}
		}
	}
	return mc
}

// localFormatting reports callees that use a writer only while they run.
func localFormatting(callee *ssa.Function) bool {
	obj := funcObj(callee)
	if obj == nil || obj.Pkg() == nil || obj.Signature().Recv() != nil {
		return false
	}
	switch obj.Pkg().Path() {
	case "fmt":
		return true
	case "io":
		return obj.Name() == "Copy" || obj.Name() == "CopyN" || obj.Name() == "CopyBuffer" || obj.Name() == "WriteString"
	}
	return false
}

// hasCloser reports whether values of type t can be closed (or stopped, or
// shut down) by their owner.
func hasCloser(t types.Type) bool {
	ms := types.NewMethodSet(t)
	if _, isPtr := types.Unalias(t).(*types.Pointer); !isPtr {
		if _, isIface := t.Underlying().(*types.Interface); !isIface {
			ms = types.NewMethodSet(types.NewPointer(t))
		}
	}
	for _, name := range []string{"Close", "Stop", "Shutdown"} {
		if ms.Lookup(nil, name) != nil {
			return true
		}
	}
	return false
}

// follow decides the fate of one writer created in fn and reports a leak or
// records what fn's callers need to know.
func (c *checker) follow(fn *ssa.Function, scope reqscope.Scope, s *summary, src source) {
	f := c.track(fn, src.value)
	if f.kept {
		return
	}
	if len(f.returned) > 0 && len(f.closes) == 0 {
		if s.returns == nil {
			s.returns = &returnsWriter{Origin: src.origin}
		}
		for _, i := range f.returned {
			if !slices.Contains(s.returns.Results, i) {
				s.returns.Results = append(s.returns.Results, i)
			}
		}
		return
	}
	if len(f.returned) > 0 {
		return // closed on some paths and handed to the caller on others
	}
	escape := unclosedExit(src.call, f.closes)
	if escape == nil {
		return
	}
	why, repeated := repeatedAt(scope, src.call)
	switch {
	case repeated && !c.inTestFile(src.call.Pos()):
		c.reportSource(fn, src, f, escape, why)
	case scope.Kind == reqscope.Unknown && s.leaks == nil:
		s.leaks = &leaksWriter{Origin: src.origin, At: c.posString(src.call.Pos())}
	}
}

// unclosedExit returns an instruction that ends fn (a return) on a path from
// the creation that passes no close, or nil when every path closes it.
func unclosedExit(start ssa.Instruction, closes []ssa.Instruction) ssa.Instruction {
	closeIndex := map[*ssa.BasicBlock]int{} // first close in each block
	for _, cl := range closes {
		b := cl.Block()
		i := slices.Index(b.Instrs, cl)
		if j, ok := closeIndex[b]; !ok || i < j {
			closeIndex[b] = i
		}
		// A close deferred before the writer exists runs on every exit.
		if _, ok := cl.(*ssa.Defer); ok {
			sb := start.Block()
			if b == sb && i < slices.Index(sb.Instrs, start) || b != sb && b.Dominates(sb) {
				return nil
			}
		}
	}
	sb := start.Block()
	si := slices.Index(sb.Instrs, start)
	if j, ok := closeIndex[sb]; ok && j > si {
		return nil
	}
	seen := map[*ssa.BasicBlock]bool{}
	var walk func(b *ssa.BasicBlock, from int) ssa.Instruction
	walk = func(b *ssa.BasicBlock, from int) ssa.Instruction {
		if from == 0 {
			if seen[b] {
				return nil
			}
			seen[b] = true
			if _, ok := closeIndex[b]; ok {
				return nil
			}
		}
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			return last
		case *ssa.Panic:
			return nil
		}
		for _, succ := range b.Succs {
			if exit := walk(succ, 0); exit != nil {
				return exit
			}
		}
		return nil
	}
	return walk(sb, si+1)
}
