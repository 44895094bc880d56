package gaugedrift

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/locks"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Analyzer reports gauges that drift from the state they count.
var Analyzer = &analysis.Analyzer{
	Name:     "gaugedrift",
	Doc:      checkdoc.Extract(doc, "gaugedrift"),
	URL:      checkdoc.URL("gaugedrift"),
	Run:      run,
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer, locks.Analyzer},
}

var extraTypes string

func init() {
	Analyzer.Flags.StringVar(&extraTypes, "types", "", `comma-separated further gauge types, each "pkgpath.Type"`)
}

var updateMethods = map[string]bool{"Inc": true, "Dec": true, "Add": true, "Sub": true, "Set": true}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()

	cl := newClassifier(extraTypes)
	if !usesGauges(pass, cl) {
		return nil, nil
	}

	c := &checker{pass: pass, r: r, cl: cl, lk: locks.Of(pass), byFamily: map[*ssa.Function][]*update{}}
	c.collect(ssair.Of(pass).SrcFuncs())
	c.check()
	return nil, nil
}

// usesGauges is the prefilter: the package calls an update method of a
// gauge-like instrument. It reads only the type information.
func usesGauges(pass *analysis.Pass, cl *classifier) bool {
	for id, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || !updateMethods[id.Name] {
			continue
		}
		if recv := fn.Signature().Recv(); recv != nil && cl.classOf(recv.Type()) == gauge {
			return true
		}
	}
	return false
}

type mutation struct {
	instr      ssa.Instruction
	collection locks.Ref
	insert     bool // else a removal
	lock       locks.Ref
	locked     bool // under a mutex the function locks itself
}

type checker struct {
	pass *analysis.Pass
	r    *report.Reporter
	cl   *classifier
	lk   *locks.Result

	updates  []*update
	byFamily map[*ssa.Function][]*update // by outermost enclosing function
	funcs    []*ssa.Function
	calls    map[ast.Node]bool
	callAt   map[token.Pos]*ast.CallExpr
}

func family(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

func (c *checker) collect(funcs []*ssa.Function) {
	c.funcs = funcs
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if u := c.cl.updateOf(instr); u != nil && u.class == gauge {
					c.updates = append(c.updates, u)
					f := family(fn)
					c.byFamily[f] = append(c.byFamily[f], u)
				}
			}
		}
	}
}

// has reports whether the updates of family f include one of metric with
// the given sign.
func (c *checker) has(f *ssa.Function, metric string, delta int) bool {
	for _, u := range c.byFamily[f] {
		if u.metric.ID == metric && u.delta == delta {
			return true
		}
	}
	return false
}

// elsewhere reports whether a function outside family f updates metric with
// the given sign.
func (c *checker) elsewhere(f *ssa.Function, metric string, delta int) bool {
	for g, us := range c.byFamily {
		if g == f {
			continue
		}
		for _, u := range us {
			if u.metric.ID == metric && u.delta == delta {
				return true
			}
		}
	}
	return false
}

func (c *checker) check() {
	// Updates grouped by function, in source order.
	byFunc := map[*ssa.Function][]*update{}
	for _, u := range c.updates {
		fn := u.instr.Parent()
		byFunc[fn] = append(byFunc[fn], u)
	}
	closeCallers := c.closeCallers()
	for _, fn := range c.funcs {
		us := byFunc[fn]
		if len(us) == 0 {
			continue
		}
		fs := c.lk.Func(fn)
		muts := c.mutations(fn, fs)
		fam := family(fn)
		for _, u := range us {
			if u.set || u.delta == 0 || u.value {
				continue
			}
			// Add(1); defer Add(-1): balanced in the function, rule 3's business.
			if c.has(fam, u.metric.ID, -u.delta) {
				continue
			}
			var why []string
			var fixMove bool
			// An update outside the lock that depends on what happened
			// under it (if existed { g.Dec() }) is exact; only its timing
			// differs.
			guarded := c.guarded(u.instr, u.metric)
			if m, ok := outsideLock(fs, u, muts); ok && !guarded {
				why = append(why, fmt.Sprintf("it runs after %s is unlocked, although it counts %s, which %s changes under %s (line %d)",
					m.lock.Field(), m.collection.Field(), fn.Name(), m.lock.Field(), c.line(m.instr.Pos())))
				fixMove = true
			}
			if u.delta < 0 && !guarded && c.elsewhere(fam, u.metric.ID, +1) {
				if m, ok := unguardedRemoval(u, muts); ok {
					why = append(why, fmt.Sprintf("it runs whether or not the delete removed anything from %s: a second call for the same entry (a connection closed twice) decrements again, and the gauge drifts below the real count and goes negative", m.collection.Field()))
					fixMove = false
				} else if cl, ok := closeCallers[fn]; ok {
					why = append(why, fmt.Sprintf("it runs on every call of %s, which has no guard against running twice (a sync.Once, a closed flag, a CompareAndSwap): closing twice decrements twice, and the gauge drifts below the real count and goes negative", cl))
					fixMove = false
				}
			}
			if len(why) == 0 {
				continue
			}
			c.reportUpdate(u, fn, why, muts, fixMove)
		}
		c.checkReturns(fn, us)
	}
}

// mutations returns the changes fn makes to maps and slices, with the mutex
// fn itself holds around them.
func (c *checker) mutations(fn *ssa.Function, fs *locks.FuncState) []mutation {
	var muts []mutation
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var coll ssa.Value
			insert := false
			switch x := instr.(type) {
			case *ssa.MapUpdate:
				coll, insert = x.Map, true
			case *ssa.Call:
				if bi, ok := x.Call.Value.(*ssa.Builtin); ok && bi.Name() == "delete" && len(x.Call.Args) == 2 {
					coll = x.Call.Args[0]
				}
			case *ssa.Store:
				if call, ok := x.Val.(*ssa.Call); ok {
					if bi, ok := call.Call.Value.(*ssa.Builtin); ok && bi.Name() == "append" {
						coll, insert = x.Addr, true
					}
				}
			}
			if coll == nil {
				continue
			}
			ref, ok := locks.Name(coll)
			if !ok {
				continue // a local collection: nobody else counts it
			}
			m := mutation{instr: instr, collection: ref, insert: insert}
			held := fs.At(instr)
			m.lock, m.locked = pickLock(fs, held, ref)
			muts = append(muts, m)
		}
	}
	return muts
}

// pickLock chooses, among the mutexes held on every path to a mutation that
// the function locks itself, the one that guards the collection: preferably
// one living in the same struct.
func pickLock(fs *locks.FuncState, held locks.Held, coll locks.Ref) (locks.Ref, bool) {
	var cands []locks.Ref
	for id := range held.Must {
		if ref, ok := fs.Acquired[id]; ok {
			cands = append(cands, ref)
		}
	}
	if len(cands) == 0 {
		return locks.Ref{}, false
	}
	sort.Slice(cands, func(i, j int) bool {
		si, sj := sameParent(cands[i].ID, coll.ID), sameParent(cands[j].ID, coll.ID)
		if si != sj {
			return si
		}
		return cands[i].ID < cands[j].ID
	})
	return cands[0], true
}

func sameParent(a, b string) bool {
	i, j := strings.LastIndexByte(a, '.'), strings.LastIndexByte(b, '.')
	return i >= 0 && j >= 0 && a[:i] == b[:j]
}

// outsideLock finds a change, made under a mutex the function locks itself,
// that the gauge update u mirrors (an insertion for an increment, a removal
// for a decrement) while u runs with that mutex released.
func outsideLock(fs *locks.FuncState, u *update, muts []mutation) (mutation, bool) {
	var held locks.Held
	if u.deferred() {
		// A deferred update runs at return: only a mutex released
		// explicitly on every path is surely free then.
		held = locks.Held{Must: map[string]bool{}, May: map[string]bool{}}
		for _, b := range u.instr.Parent().Blocks {
			if n := len(b.Instrs); n > 0 {
				if ret, ok := b.Instrs[n-1].(*ssa.Return); ok {
					for id := range fs.At(ret).May {
						held.May[id] = true
					}
				}
			}
		}
	} else {
		held = fs.At(u.instr)
	}
	for _, m := range muts {
		if !m.locked || m.insert != (u.delta > 0) {
			continue
		}
		if !held.May[m.lock.ID] {
			return m, true
		}
	}
	return mutation{}, false
}

// unguardedRemoval finds a delete, made under a mutex the function locks
// itself, that the decrement u does not depend on.
func unguardedRemoval(u *update, muts []mutation) (mutation, bool) {
	for _, m := range muts {
		if m.locked && !m.insert {
			if _, isDelete := m.instr.(*ssa.Call); isDelete {
				return m, true
			}
		}
	}
	return mutation{}, false
}

// guarded reports whether instr runs only when some condition holds — the
// removal happened, the connection was not closed before, a
// CompareAndSwap won — or only once (inside a sync.Once). A nil check of the
// instrument itself, or of what holds it, is no guard.
func (c *checker) guarded(instr ssa.Instruction, metric locks.Ref) bool {
	fn := instr.Parent()
	if fn.Parent() != nil && reqscope.Of(fn).Kind == reqscope.Once {
		return true
	}
	b := instr.Block()
	for _, d := range fn.Blocks {
		if d == b || !d.Dominates(b) || len(d.Instrs) == 0 {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || nilCheckOf(iff.Cond, metric) {
			continue
		}
		for _, s := range d.Succs {
			if !reachesAvoiding(s, b, d) {
				return true
			}
		}
	}
	return false
}

// nilCheckOf reports whether cond compares the instrument, or a value it is
// reached through, with nil.
func nilCheckOf(cond ssa.Value, metric locks.Ref) bool {
	bin, ok := cond.(*ssa.BinOp)
	if !ok || (bin.Op != token.EQL && bin.Op != token.NEQ) {
		return false
	}
	x := bin.X
	if k, ok := x.(*ssa.Const); ok && k.IsNil() {
		x = bin.Y
	} else if k, ok := bin.Y.(*ssa.Const); !ok || !k.IsNil() {
		return false
	}
	ref, ok := locks.Name(x)
	return ok && (ref.ID == metric.ID || strings.HasPrefix(metric.ID, ref.ID+"."))
}

// reachesAvoiding reports whether to is reachable from from without passing
// through avoid.
func reachesAvoiding(from, to, avoid *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{avoid: true}
	stack := []*ssa.BasicBlock{from}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == to {
			return true
		}
		if seen[b] {
			continue
		}
		seen[b] = true
		stack = append(stack, b.Succs...)
	}
	return false
}

// closeCallers maps each function called, unguarded, by a Close method of
// the package (and each Close method itself) to that method's name.
func (c *checker) closeCallers() map[*ssa.Function]string {
	out := map[*ssa.Function]string{}
	for _, fn := range c.funcs {
		if fn.Name() != "Close" || fn.Signature.Recv() == nil {
			continue
		}
		name := closeName(fn)
		out[fn] = name
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := ci.Common().StaticCallee()
				if callee == nil || callee.Pkg != fn.Pkg || c.guarded(instr, locks.Ref{}) {
					continue
				}
				if callee.Origin() != nil {
					callee = callee.Origin()
				}
				if _, ok := out[callee]; !ok {
					out[callee] = name
				}
			}
		}
	}
	return out
}

func closeName(fn *ssa.Function) string {
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		ptr := ""
		if p, ok := t.(*types.Pointer); ok {
			t, ptr = p.Elem(), "*"
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return fmt.Sprintf("(%s%s).Close", ptr, n.Obj().Name())
		}
	}
	return fn.Name()
}

func (c *checker) line(pos token.Pos) int {
	return c.pass.Fset.Position(pos).Line
}
