package gaugedrift

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/names"
	"github.com/proxylint/proxylint/passes/locks"
	"github.com/proxylint/proxylint/passes/ssair"
)

// releaseNames are the methods that end one thing's life: a decrement in
// them, with no guard against a second call, runs once per call rather
// than once per thing.
var releaseNames = map[string]bool{"Close": true, "Release": true, "Stop": true}

// indexCounts records the functions that increment each counter (directly,
// through callees or in closures) and the static call sites of each
// function of the package.
func (c *checker) indexCounts() {
	c.incs = map[string][]*ssa.Function{}
	c.sites = map[*ssa.Function][]ssa.CallInstruction{}
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, e := range c.effectsOf(instr) {
					if e.delta > 0 {
						c.incs[e.metric.ID] = append(c.incs[e.metric.ID], fn)
					}
				}
				if ci, ok := instr.(ssa.CallInstruction); ok {
					if callee := ci.Common().StaticCallee(); callee != nil {
						callee = ssair.Origin(callee)
						c.sites[callee] = append(c.sites[callee], ci)
					}
				}
			}
		}
	}
}

// recvNamed returns the named type of fn's receiver.
func recvNamed(fn *ssa.Function) *types.Named {
	recv := fn.Signature.Recv()
	if recv == nil {
		return nil
	}
	t := recv.Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	if n != nil {
		n = n.Origin()
	}
	return n
}

// paired reports whether the counter id is incremented somewhere the
// package shows, and not by methods of t itself: a type whose own methods
// take and give back (Acquire/Release, Retain/Release) is an owner of many,
// whose releases pair with its acquisitions by contract.
func (c *checker) paired(id string, t *types.Named) bool {
	fns := c.incs[id]
	if len(fns) == 0 {
		return false
	}
	for _, f := range fns {
		if t != nil && recvNamed(family(f)) == t {
			return false
		}
	}
	return true
}

// resultTested reports whether the value of a decrement is compared or
// branched on — if atomic.AddInt32(&refs, -1) == 0 — the shape of a
// reference count, where every call is meant to count.
func resultTested(instr ssa.Instruction) bool {
	v, ok := instr.(ssa.Value)
	if !ok || v.Referrers() == nil {
		return false
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.BinOp:
			return true
		case *ssa.If:
			return true
		case *ssa.Extract:
			_ = r
		}
	}
	return false
}

// releasePaths walks every release method (Close, Release, Stop) of the
// package, and the functions it calls in the package, along the paths no
// guard protects. A decrement it meets in the package is returned, mapped
// to the release method it runs for, for the caller to report with any
// other reason it has; a decrement through another package's helper or
// through a callback field is reported here.
// releaseSite is where a release method reaches a decrement: the method,
// its name for messages, and its own instruction that leads there (the
// decrement itself, or the call of the helper that makes it).
type releaseSite struct {
	root *ssa.Function
	rel  string
	site ssa.Instruction
}

func (c *checker) releasePaths() map[ssa.Instruction][]releaseSite {
	out := map[ssa.Instruction][]releaseSite{}
	for _, fn := range c.funcs {
		if fn.Parent() != nil || !releaseNames[fn.Name()] {
			continue
		}
		t := recvNamed(fn)
		if t == nil {
			continue
		}
		c.walkRelease(fn, fn, t, closeName(fn), nil, out, map[*ssa.Function]bool{}, 0)
	}
	return out
}

func (c *checker) walkRelease(root, fn *ssa.Function, t *types.Named, rel string, site ssa.Instruction, out map[ssa.Instruction][]releaseSite, seen map[*ssa.Function]bool, depth int) {
	if seen[fn] || depth > 4 {
		return
	}
	seen[fn] = true
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			if _, isCall := instr.(ssa.CallInstruction); !isCall || c.guarded(instr) {
				continue
			}
			at := site
			if at == nil {
				at = instr
			}
			if u := c.cl.updateOf(instr); u != nil {
				if !u.value && u.delta < 0 && u.class.pairs() && u.param < 0 && c.paired(u.metric.ID, t) && !resultTested(instr) {
					out[instr] = append(out[instr], releaseSite{root, rel, at})
				}
				continue
			}
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := ci.Common()
			if callee := common.StaticCallee(); callee != nil {
				callee = ssair.Origin(callee)
				if callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg && len(callee.Blocks) > 0 {
					c.walkRelease(root, callee, t, rel, at, out, seen, depth+1)
					continue
				}
				for _, e := range c.effectsOf(instr) {
					if e.delta < 0 && !e.cond && e.class.pairs() && c.paired(e.metric.ID, t) {
						c.reportRelease(at, root, rel, e)
						break
					}
				}
				continue
			}
			if f, ok := callbackField(common.Value); ok && site == nil {
				c.checkCallback(ci, root, rel, t, f)
			}
		}
	}
}

// callbackField names the function-typed field a call goes through:
// c.onClose(), i.closeFunc().
func callbackField(v ssa.Value) (locks.Ref, bool) {
	if _, ok := v.Type().Underlying().(*types.Signature); !ok {
		return locks.Ref{}, false
	}
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return locks.Ref{}, false
		}
		if _, ok := x.X.(*ssa.FieldAddr); !ok {
			return locks.Ref{}, false
		}
	case *ssa.Field:
	default:
		return locks.Ref{}, false
	}
	return locks.Name(v)
}

// checkCallback looks at what the package stores in the callback field f
// that the release method calls unguarded at call. A decrementing function
// stored directly (OnClose = m.closed) is reported at the store, where the
// callback should be made idempotent; one handed to a constructor that
// stores its parameter is reported at the call in the release method, which
// owns the once-ness.
func (c *checker) checkCallback(call ssa.CallInstruction, root *ssa.Function, rel string, t *types.Named, f locks.Ref) {
	for _, g := range c.funcs {
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				if r, ok := locks.Name(st.Addr); !ok || r.ID != f.ID {
					continue
				}
				if p, ok := st.Val.(*ssa.Parameter); ok {
					idx := paramIndex(p)
					c.exportCallback(g, idx, rel)
					for _, site := range c.sites[ssair.Origin(g)] {
						args := site.Common().Args
						if idx < 0 || idx >= len(args) {
							continue
						}
						effs, via := c.funcEffects(args[idx])
						if e, ok := c.closingEffect(effs, t, site.Parent()); ok {
							c.reportCallback(call, root, rel, f, e, fmt.Sprintf("%s sets it from the function %s passes at line %d (%s)",
								funcName(g), funcName(site.Parent()), c.line(site.Pos()), funcName(via)))
							return
						}
					}
					continue
				}
				effs, via := c.funcEffects(st.Val)
				if e, ok := c.closingEffect(effs, t, g); ok {
					c.reportInstall(st, g, rel, f, e, via)
				}
			}
		}
	}
}

// closingEffect picks, among what a callback changes, the change that must
// happen once per thing: an unconditional decrement of a counter the
// package increments elsewhere, or an increment of a closed-things counter
// by a callback installed where an opened-things counter is incremented
// (accepted minus closed is the open count).
func (c *checker) closingEffect(effs []effect, t *types.Named, installer *ssa.Function) (effect, bool) {
	for _, e := range effs {
		if e.delta < 0 && !e.cond && e.class.pairs() && e.param < 0 && c.paired(e.metric.ID, t) {
			return e, true
		}
	}
	for _, e := range effs {
		if e.class != counter || e.delta < 0 || e.cond || e.param >= 0 {
			continue
		}
		if c.opens(installer, e.metric.ID) {
			return e, true
		}
	}
	return effect{}, false
}

// opens reports whether fn increments a counter other than id.
func (c *checker) opens(fn *ssa.Function, id string) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.MakeClosure); ok {
				continue
			}
			for _, e := range c.effectsOf(instr) {
				if e.delta > 0 && e.metric.ID != id && (e.class == counter || e.class.pairs()) {
					return true
				}
			}
		}
	}
	return false
}

func funcName(fn *ssa.Function) string {
	if fn == nil {
		return "a function value"
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return names.Func(obj)
	}
	if fn.Parent() != nil {
		return fmt.Sprintf("the function literal at line %d", fn.Prog.Fset.Position(fn.Pos()).Line)
	}
	return fn.Name()
}

func (e effect) what() string {
	if e.class == counter {
		return "increments " + e.metric.Display
	}
	if e.class == slot {
		return "gives back a slot of " + e.metric.Display
	}
	return "decrements " + e.metric.Display
}

func (c *checker) reportRelease(instr ssa.Instruction, fn *ssa.Function, rel string, e effect) {
	text, pos, end := c.describeCall(instr)
	c.report(analysis.Diagnostic{
		Pos: pos, End: end,
		Message: fmt.Sprintf("%s in %s %s through %s on every call of %s, which has no guard against running twice (a sync.Once, a closed flag, a CompareAndSwap): closing twice counts the close twice, and the %s drifts below the real count and goes negative; make %s idempotent and release only on the first call",
			text, fn.Name(), e.what(), e.via, rel, e.class.noun(), rel),
		SuggestedFixes: c.onceFix(instr, fn),
	})
}

func (c *checker) reportCallback(call ssa.CallInstruction, fn *ssa.Function, rel string, f locks.Ref, e effect, how string) {
	text, pos, end := c.describeCall(call)
	c.report(analysis.Diagnostic{
		Pos: pos, End: end,
		Message: fmt.Sprintf("%s in %s calls the callback %s, which %s, on every call of %s, and %s has no guard against running twice (a sync.Once, a closed flag, a CompareAndSwap): closing twice counts the close twice, and the %s drifts below the real count and goes negative (%s); make %s idempotent and call %s only on the first call",
			text, fn.Name(), f.Field(), e.what(), rel, rel, e.class.noun(), how, rel, f.Field()),
		SuggestedFixes: c.onceFix(call, fn),
	})
}

func (c *checker) reportInstall(st *ssa.Store, g *ssa.Function, rel string, f locks.Ref, e effect, via *ssa.Function) {
	noun := e.class.noun()
	if e.class == counter {
		noun = "difference between opened and closed counts"
	}
	c.report(analysis.Diagnostic{
		Pos: st.Pos(),
		Message: fmt.Sprintf("%s is set in %s to %s, which %s, and %s calls it on every call with no guard against running twice (a sync.Once, a closed flag, a CompareAndSwap): a connection closed twice is counted closed twice, and the %s drifts from the number really open; install it through a sync.Once (once := sync.Once{}; %s = func() { once.Do(...) })",
			f.Field(), g.Name(), funcName(via), e.what(), rel, noun, f.Field()),
	})
}

// report files a diagnostic once per position.
func (c *checker) report(d analysis.Diagnostic) {
	if c.reported == nil {
		c.reported = map[token.Pos]bool{}
	}
	if !d.Pos.IsValid() || c.reported[d.Pos] {
		return
	}
	c.reported[d.Pos] = true
	c.r.Report(d)
}

// exportCallback records, on an exported constructor g, that its parameter
// idx runs on every call of the release method rel.
func (c *checker) exportCallback(g *ssa.Function, idx int, rel string) {
	obj, ok := g.Object().(*types.Func)
	if !ok || idx < 0 || g.Parent() != nil || !obj.Exported() || obj.Pkg() != c.pass.Pkg {
		return
	}
	if t := recvNamed(g); t != nil && !t.Obj().Exported() {
		return
	}
	if c.exported == nil {
		c.exported = map[*types.Func]bool{}
	}
	if c.exported[obj] {
		return
	}
	c.exported[obj] = true
	c.pass.ExportObjectFact(obj, &Callback{Param: idx, Release: rel})
}

// checkImportedCallbacks reports, in fn, a decrementing function handed to
// another package's constructor that runs it on every call of a release
// method with no guard (its Callback fact).
func (c *checker) checkImportedCallbacks(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			callee := ci.Common().StaticCallee()
			if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg == c.pass.Pkg {
				continue
			}
			obj, ok := callee.Object().(*types.Func)
			if !ok {
				continue
			}
			var f Callback
			if !c.pass.ImportObjectFact(obj.Origin(), &f) {
				continue
			}
			args := ci.Common().Args
			if f.Param >= len(args) {
				continue
			}
			effs, via := c.funcEffects(args[f.Param])
			e, ok := c.closingEffect(effs, nil, fn)
			if !ok {
				continue
			}
			text, pos, end := c.describeCall(ci)
			c.report(analysis.Diagnostic{
				Pos: pos, End: end,
				Message: fmt.Sprintf("%s in %s hands %s, which %s, to %s, which runs it on every call of %s with no guard against running twice (a sync.Once, a closed flag, a CompareAndSwap): closing twice counts the close twice, and the %s drifts below the real count and goes negative; pass a function that runs once (once := sync.Once{}; func() { once.Do(...) })",
					text, fn.Name(), funcName(via), e.what(), names.Func(obj), f.Release, e.class.noun()),
			})
		}
	}
}
