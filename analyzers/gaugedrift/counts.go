package gaugedrift

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/proxylint/proxylint/passes/locks"
)

// Counts is the fact exported on a function that changes counters of open
// things when it runs: which counter, which way, and whether only under a
// condition of its own. Callers in other packages see a helper such as
// (*Tracker).Leave as the decrement it is.
type Counts struct {
	Counts []Count
}

// A Count is one counter a function changes.
type Count struct {
	Metric  string // locks.Ref ID; "param:N" for the instrument parameter N
	Display string
	Delta   int // +1 or -1
	Class   int // class of the instrument
	Cond    bool
}

func (*Counts) AFact() {}

// Callback is the fact exported on a constructor that stores its parameter
// Param in a callback field which the release method Release calls on
// every call, with no guard against a second one: what a caller in another
// package passes runs once per Close, not once per thing.
type Callback struct {
	Param   int
	Release string
}

func (*Callback) AFact() {}

func (f *Callback) String() string {
	return fmt.Sprintf("p%d runs on every %s", f.Param, f.Release)
}

func (f *Counts) String() string {
	var parts []string
	for _, c := range f.Counts {
		s := "+"
		if c.Delta < 0 {
			s = "-"
		}
		s += c.Display
		if c.Cond {
			s += "?"
		}
		parts = append(parts, s)
	}
	return "counts " + strings.Join(parts, " ")
}

// effect is one counter change an instruction makes, directly or through
// the functions it calls.
type effect struct {
	metric locks.Ref
	delta  int
	class  class
	cond   bool   // only under a condition inside a callee
	via    string // the callee it goes through, "" when direct
	param  int    // for summaries: the instrument is this parameter, or -1
}

// summaries computes, with memoisation, what each function of the package
// changes when called, through static calls in the package and facts on
// functions of other packages.
type summaries struct {
	c     *checker
	memo  map[*ssa.Function][]effect
	doing map[*ssa.Function]bool
}

func (s *summaries) of(fn *ssa.Function) []effect {
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if e, ok := s.memo[fn]; ok {
		return e
	}
	if fn.Pkg == nil || fn.Pkg.Pkg != s.c.pass.Pkg || len(fn.Blocks) == 0 {
		// Another package's function: its fact.
		e := s.imported(fn)
		s.memo[fn] = e
		return e
	}
	if s.doing[fn] || len(s.doing) > 32 {
		return nil
	}
	s.doing[fn] = true
	var out []effect
	balanced := s.c.balancedPairs(fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, isGo := instr.(*ssa.Go); isGo {
				continue // runs beside the function, some other time
			}
			if mc, ok := instr.(*ssa.MakeClosure); ok {
				// A closure or method value made here (once.Do(func()
				// {...}), a callback) may run: a conditional change.
				effs, _ := s.c.funcEffects(mc)
				for _, e := range effs {
					e.cond, e.via = true, ""
					out = append(out, e)
				}
				continue
			}
			if balanced[instr] {
				continue
			}
			for _, e := range s.c.effectsOf(instr) {
				e.cond = e.cond || s.c.guarded(instr)
				e.via = ""
				out = append(out, e)
			}
		}
	}
	delete(s.doing, fn)
	out = dedupe(out)
	s.memo[fn] = out
	return out
}

// balancedPairs returns the direct updates of fn that undo each other on
// every path through it: an increment followed in its own block by a
// deferred decrement of the same instrument (inFlight.Inc(); defer
// inFlight.Dec()). Its callers see no change from them: a call of such a
// function counts itself for exactly its own duration.
func (c *checker) balancedPairs(fn *ssa.Function) map[ssa.Instruction]bool {
	var out map[ssa.Instruction]bool
	for _, b := range fn.Blocks {
		var open []*update
		for _, instr := range b.Instrs {
			u := c.cl.updateOf(instr)
			if u == nil || u.value || u.set || u.delta == 0 {
				continue
			}
			if !u.deferred() {
				open = append(open, u)
				continue
			}
			for i, o := range open {
				if o != nil && o.delta == -u.delta && o.param == u.param && o.metric.ID == u.metric.ID && o.metric.ID != "" {
					if out == nil {
						out = map[ssa.Instruction]bool{}
					}
					out[o.instr], out[instr] = true, true
					open[i] = nil
					break
				}
			}
		}
	}
	return out
}

func (s *summaries) imported(fn *ssa.Function) []effect {
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	var f Counts
	if !s.c.pass.ImportObjectFact(obj.Origin(), &f) {
		return nil
	}
	var out []effect
	for _, c := range f.Counts {
		e := effect{metric: locks.Ref{ID: c.Metric, Display: c.Display}, delta: c.Delta, class: class(c.Class), cond: c.Cond, param: -1}
		if n, ok := strings.CutPrefix(c.Metric, "param:"); ok {
			fmt.Sscan(n, &e.param)
		}
		out = append(out, e)
	}
	return out
}

func dedupe(es []effect) []effect {
	seen := map[string]int{}
	var out []effect
	for _, e := range es {
		k := fmt.Sprintf("%s|%d|%d", e.metric.ID, e.delta, e.param)
		if i, ok := seen[k]; ok {
			out[i].cond = out[i].cond && e.cond
			continue
		}
		seen[k] = len(out)
		out = append(out, e)
	}
	return out
}

// effectsOf returns the counter changes instr makes when it runs: its own
// update, or what the function it calls (statically) changes, with the
// instruments the callee takes as parameters named as the caller names
// them.
func (c *checker) effectsOf(instr ssa.Instruction) []effect {
	if u := c.cl.updateOf(instr); u != nil {
		if u.value || u.set || u.delta == 0 {
			return nil
		}
		return []effect{{metric: u.metric, delta: u.delta, class: u.class, param: u.param}}
	}
	if _, ok := instr.(*ssa.MakeClosure); ok {
		return nil
	}
	ci, ok := instr.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	common := ci.Common()
	callee := common.StaticCallee()
	if callee == nil {
		return nil
	}
	var out []effect
	for _, e := range c.sum.of(callee) {
		if e.param >= 0 {
			if e.param >= len(common.Args) {
				continue
			}
			arg := common.Args[e.param]
			e.metric, _ = locks.Name(c.cl.vector(arg, 0))
			e.param = paramIndex(c.cl.vector(arg, 0))
		}
		e.via = funcName(callee)
		out = append(out, e)
	}
	return out
}

// funcEffects returns what calling the function value v changes: a
// function, a closure, or a bound method value.
func (c *checker) funcEffects(v ssa.Value) ([]effect, *ssa.Function) {
	switch x := v.(type) {
	case *ssa.Function:
		return c.sum.of(x), x
	case *ssa.MakeClosure:
		fn, ok := x.Fn.(*ssa.Function)
		if !ok {
			return nil, nil
		}
		if strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
			if u := c.cl.methodValue(x); u != nil {
				return []effect{{metric: u.metric, delta: u.delta, class: u.class, param: -1}}, fn
			}
			if obj, ok := fn.Object().(*types.Func); ok {
				if m := fn.Prog.FuncValue(obj); m != nil {
					es := c.sum.of(m)
					var out []effect
					for _, e := range es {
						if e.param == 0 && len(x.Bindings) == 1 {
							e.metric, _ = locks.Name(x.Bindings[0])
							e.param = -1
						}
						if e.param < 0 {
							out = append(out, e)
						}
					}
					return out, m
				}
			}
			return nil, nil
		}
		return c.sum.of(fn), fn
	case *ssa.ChangeType:
		return c.funcEffects(x.X)
	case *ssa.MakeInterface:
		return c.funcEffects(x.X)
	}
	return nil, nil
}

// exportFacts exports the summaries of the package's exported functions
// and methods.
func (c *checker) exportFacts() {
	for _, fn := range c.funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil || !obj.Exported() || obj.Pkg() != c.pass.Pkg {
			continue
		}
		if t := recvNamed(fn); t != nil && !t.Obj().Exported() {
			continue // other packages reach it only dynamically
		}
		var f Counts
		for _, e := range c.sum.of(fn) {
			// An atomic count is the package's own state (a mutex's,
			// a pool's); only instruments and slots are shared.
			if e.class != gauge && e.class != counter && e.class != slot {
				continue
			}
			id, display := e.metric.ID, e.metric.Display
			if e.param >= 0 {
				id = fmt.Sprintf("param:%d", e.param)
				if e.param < len(fn.Params) {
					display = fn.Params[e.param].Name()
				}
			}
			if strings.HasPrefix(id, "value:") || strings.Contains(id, "#") {
				continue // named only inside this function
			}
			f.Counts = append(f.Counts, Count{Metric: id, Display: display, Delta: e.delta, Class: int(e.class), Cond: e.cond})
		}
		if len(f.Counts) == 0 {
			continue
		}
		sort.Slice(f.Counts, func(i, j int) bool {
			a, b := f.Counts[i], f.Counts[j]
			if a.Display != b.Display {
				return a.Display < b.Display
			}
			return a.Delta < b.Delta
		})
		c.pass.ExportObjectFact(obj, &f)
	}
}

// scanSigned fills the classifier's slot methods: methods of one integer
// that the package calls with a constant of each sign. It reads the syntax
// only, and only when the package uses such a method at all.
func scanSigned(pass *analysis.Pass, cl *classifier) {
	any := false
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok && signedCandidate(fn) {
			any = true
			break
		}
	}
	if !any {
		return
	}
	signs := map[*types.Func]int{}
	// One walk of the syntax: an inspector would allocate an event table
	// of the whole package (hundreds of MiB on a generated API client)
	// for this single pass.
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
			if fn == nil || len(call.Args) != 1 || !signedCandidate(fn) {
				return true
			}
			tv := pass.TypesInfo.Types[call.Args[0]]
			if tv.Value == nil || tv.Value.Kind() != constant.Int {
				return true
			}
			switch constant.Sign(tv.Value) {
			case 1:
				signs[fn.Origin()] |= 1
			case -1:
				signs[fn.Origin()] |= 2
			}
			return true
		})
	}
	for fn, s := range signs {
		if s == 3 {
			cl.signed[fn] = true
		}
	}
}

// usesCounters is the prefilter: the package calls an update method of an
// instrument, changes an atomic integer by a constant, takes or gives back
// a slot, or calls a function of another package that does. It reads only
// the type information (and, for slot methods, the call syntax).
func usesCounters(pass *analysis.Pass, cl *classifier) bool {
	if inGoroot(pass) {
		return false // the standard library keeps no proxy's counters
	}
	for id, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		if updateMethods[id.Name] {
			if recv := fn.Signature().Recv(); recv != nil && cl.classOf(recv.Type()) != notInstrument {
				return true
			}
		}
		if fn.Pkg() != nil {
			switch fn.Pkg().Path() {
			case "sync/atomic":
				if strings.HasPrefix(fn.Name(), "Add") {
					return true
				}
			case "golang.org/x/sync/semaphore":
				return true
			}
			if fn.Pkg() != pass.Pkg {
				var f Counts
				if pass.ImportObjectFact(fn.Origin(), &f) {
					return true
				}
			}
		}
		if cl.signed[fn.Origin()] {
			return true
		}
	}
	return callsCallbackOnRelease(pass)
}

// callsCallbackOnRelease reports whether a release method of the package
// calls a function-typed field: the package may export Callback facts.
func callsCallbackOnRelease(pass *analysis.Pass) bool {
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil || !releaseNames[fd.Name.Name] {
				continue
			}
			found := false
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || found {
					return !found
				}
				if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
					if s := pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
						found = true
					}
				}
				return true
			})
			if found {
				return true
			}
		}
	}
	return false
}

func inGoroot(pass *analysis.Pass) bool {
	if len(pass.Files) == 0 {
		return false
	}
	root := build.Default.GOROOT
	if root == "" {
		return false
	}
	name := pass.Fset.File(pass.Files[0].Pos()).Name()
	return strings.HasPrefix(filepath.ToSlash(name), filepath.ToSlash(root)+"/src/")
}
