package gaugedrift

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

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

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 4

// Analyzer reports gauges that drift from the state they count.
var Analyzer = &analysis.Analyzer{
	Name:     "gaugedrift",
	Doc:      checkdoc.Extract(doc, "gaugedrift"),
	URL:      checkdoc.URL("gaugedrift"),
	Run:      run,
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer, locks.Analyzer},
	// Counts facts carry what helpers change to callers in other packages.
	FactTypes: []analysis.Fact{new(Counts), new(Callback)},
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
	scanSigned(pass, cl)
	if !usesCounters(pass, cl) {
		return nil, nil
	}

	c := &checker{pass: pass, r: r, cl: cl, lk: locks.Of(pass), byFamily: map[*ssa.Function][]*update{}}
	c.sum = &summaries{c: c, memo: map[*ssa.Function][]effect{}, doing: map[*ssa.Function]bool{}}
	c.collect(ssair.Of(pass).SrcFuncs())
	c.exportFacts()
	c.check()
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	r    *report.Reporter
	cl   *classifier
	lk   *locks.Result
	sum  *summaries

	updates  []*update
	lowers   map[string]bool             // metrics the package decrements or sets, built on first use
	byFamily map[*ssa.Function][]*update // by outermost enclosing function
	funcs    []*ssa.Function
	calls    map[ast.Node]bool
	callAt   map[token.Pos]*ast.CallExpr

	incs     map[string][]*ssa.Function              // counter ID -> functions incrementing it
	sites    map[*ssa.Function][]ssa.CallInstruction // static call sites in the package
	reported map[token.Pos]bool
	exported map[*types.Func]bool // Callback facts exported

	guardedBlocks map[*ssa.BasicBlock]bool
	stores        map[*ssa.Function]map[string]bool
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
				if u := c.cl.updateOf(instr); u != nil && u.class.pairs() {
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

// lowered reports whether the package decrements or sets metric anywhere.
func (c *checker) lowered(metric string) bool {
	if c.lowers == nil {
		c.lowers = map[string]bool{}
		for _, u := range c.updates {
			if u.delta < 0 || u.set {
				c.lowers[u.metric.ID] = true
			}
		}
	}
	return c.lowers[metric]
}

func (c *checker) check() {
	// Updates grouped by function, in source order.
	byFunc := map[*ssa.Function][]*update{}
	for _, u := range c.updates {
		fn := u.instr.Parent()
		byFunc[fn] = append(byFunc[fn], u)
	}
	c.indexCounts()
	repeated := c.releasePaths()
	for _, fn := range c.funcs {
		us := byFunc[fn]
		if len(us) == 0 {
			continue
		}
		fs := c.lk.Func(fn)
		muts := fs.Changes()
		fam := family(fn)
		for _, u := range us {
			if u.set || u.delta == 0 || u.value || !u.class.pairs() {
				continue
			}
			var why []string
			var fixMove bool
			// Rule 4 is about metrics that mirror a locked set; an atomic
			// count or a slot is its own state.
			// A gauge known only by its method set that nothing ever
			// lowers or sets counts events (samples recorded), not the
			// entries of the set.
			if u.class == gauge && !c.has(fam, u.metric.ID, -u.delta) && (u.delta < 0 || !u.shaped || c.lowered(u.metric.ID)) {
				// An update outside the lock that depends on what
				// happened under it (if existed { g.Dec() }) is exact;
				// only its timing differs.
				guarded := c.guarded(u.instr)
				if m, ok := outsideLock(fs, u, muts); ok && !guarded {
					why = append(why, fmt.Sprintf("it runs after %s is unlocked, although it counts %s, which %s changes under %s (line %d)",
						m.Lock.Field(), m.Collection.Field(), fn.Name(), m.Lock.Field(), c.line(m.Instr.Pos())))
					fixMove = true
				}
				if u.delta < 0 && !guarded && c.elsewhere(fam, u.metric.ID, +1) {
					if m, ok := unguardedRemoval(muts); ok {
						why = append(why, fmt.Sprintf("it runs whether or not the delete removed anything from %s: a second call for the same entry (a connection closed twice) decrements again, and the gauge drifts below the real count and goes negative", m.Collection.Field()))
						fixMove = false
					}
				}
			}
			if sites := repeated[u.instr]; len(sites) > 0 && len(why) == 0 {
				direct := ""
				for _, rs := range sites {
					if rs.site == u.instr {
						direct = rs.rel
						continue
					}
					// Through a helper the release method calls: the
					// release method is what to change.
					c.reportRelease(rs.site, rs.root, rs.rel, effect{metric: u.metric, delta: u.delta, class: u.class, via: funcName(fn)})
				}
				if direct == "" {
					continue
				}
				why = append(why, fmt.Sprintf("it runs on every call of %s, which has no guard against running twice (a sync.Once, a closed flag, a CompareAndSwap): closing twice decrements twice, and the %s drifts below the real count and goes negative", direct, u.class.noun()))
			}
			if len(why) == 0 {
				continue
			}
			c.reportUpdate(u, fn, why, muts, fixMove)
		}
	}
	for _, fn := range c.funcs {
		c.checkReturns(fn)
		c.checkImportedCallbacks(fn)
	}
}

// outsideLock finds a change, made under a mutex the function locks itself,
// that the gauge update u mirrors (an insertion for an increment, a removal
// for a decrement) while u runs with that mutex released.
func outsideLock(fs *locks.FuncState, u *update, muts []locks.Change) (locks.Change, bool) {
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
		if !m.Locked || m.Insert != (u.delta > 0) {
			continue
		}
		if !held.May[m.Lock.ID] {
			return m, true
		}
	}
	return locks.Change{}, false
}

// unguardedRemoval finds a removal, made under a mutex the function locks
// itself, that does not say whether it removed anything.
func unguardedRemoval(muts []locks.Change) (locks.Change, bool) {
	for _, m := range muts {
		if m.Locked && !m.Insert && m.Delete {
			return m, true
		}
	}
	return locks.Change{}, false
}

// guarded reports whether instr runs only when some condition holds — the
// removal happened, the connection was not closed before, a CompareAndSwap
// won, the inner Close succeeded — or only once (inside a sync.Once). A nil
// check is a guard only when it tests an error or a field the function
// itself clears or sets (if c.conn == nil { return }; ...; c.conn = nil); a
// nil check of the instrument, of what holds it, or of a callback is none.
func (c *checker) guarded(instr ssa.Instruction) bool {
	fn := instr.Parent()
	if fn.Parent() != nil && reqscope.Of(fn).Kind == reqscope.Once {
		return true
	}
	b := instr.Block()
	if c.guardedBlocks == nil {
		c.guardedBlocks = map[*ssa.BasicBlock]bool{}
	}
	if g, ok := c.guardedBlocks[b]; ok {
		return g
	}
	g := false
	for _, d := range fn.Blocks {
		if d == b || !d.Dominates(b) || len(d.Instrs) == 0 {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || !c.guardCond(iff.Cond) {
			continue
		}
		for _, s := range d.Succs {
			if !ssair.Reaches([]*ssa.BasicBlock{s}, b, d) {
				g = true
			}
		}
		if g {
			break
		}
	}
	c.guardedBlocks[b] = g
	return g
}

// guardCond reports whether cond can tell a first call from a second.
func (c *checker) guardCond(cond ssa.Value) bool {
	bin, ok := cond.(*ssa.BinOp)
	if !ok || (bin.Op != token.EQL && bin.Op != token.NEQ) {
		return true
	}
	x := bin.X
	if k, ok := x.(*ssa.Const); ok && k.IsNil() {
		x = bin.Y
	} else if k, ok := bin.Y.(*ssa.Const); !ok || !k.IsNil() {
		return true
	}
	if types.Identical(x.Type(), types.Universe.Lookup("error").Type()) {
		return true
	}
	ref, ok := locks.Name(x)
	if !ok {
		return false
	}
	return c.storedIn(cond.Parent())[ref.ID]
}

// storedIn returns the names of what fn stores to, computed once.
func (c *checker) storedIn(fn *ssa.Function) map[string]bool {
	if c.stores == nil {
		c.stores = map[*ssa.Function]map[string]bool{}
	}
	if m, ok := c.stores[fn]; ok {
		return m
	}
	m := map[string]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if r, ok := locks.Name(st.Addr); ok {
					m[r.ID] = true
				}
			}
		}
	}
	c.stores[fn] = m
	return m
}

func closeName(fn *ssa.Function) string {
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		ptr := ""
		if p, ok := t.(*types.Pointer); ok {
			t, ptr = p.Elem(), "*"
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return fmt.Sprintf("(%s%s).%s", ptr, n.Obj().Name(), fn.Name())
		}
	}
	return fn.Name()
}

func (c *checker) line(pos token.Pos) int {
	return c.pass.Fset.Position(pos).Line
}
