package lostclose

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Analyzer reports resources that a function creates and then loses.
var Analyzer = &analysis.Analyzer{
	Name:     "lostclose",
	Doc:      checkdoc.Extract(doc, "lostclose"),
	URL:      checkdoc.URL("lostclose"),
	Run:      run,
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer, lifetime.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	res := lifetime.Of(pass)
	if !createsResources(pass, res) {
		return nil, nil
	}
	c := &checker{pass: pass, r: r, res: res}
	for _, fn := range ssair.Of(pass).SrcFuncs() {
		c.checkFunc(fn)
	}
	return nil, nil
}

// createsResources is the prefilter: the package calls a function of
// another package that returns a new resource, or declares functions that
// take or return resources (their summaries have been computed already).
func createsResources(pass *analysis.Pass, res *lifetime.Result) bool {
	if res.HasLocalSummaries() {
		return true
	}
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == pass.Pkg {
			continue
		}
		var s lifetime.Summary
		if pass.ImportObjectFact(fn.Origin(), &s) && (s.Fresh != 0 || s.Wraps != 0) {
			return true
		}
	}
	return false
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	res   *lifetime.Result
	calls map[token.Pos]*ast.CallExpr
	names map[*ast.CallExpr][]ast.Expr
}

func (c *checker) checkFunc(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			sum, known := c.res.SummaryOf(call.Call.StaticCallee())
			if !known || sum.Fresh == 0 && sum.Wraps == 0 {
				continue
			}
			n := call.Call.Signature().Results().Len()
			for i := range n {
				if !sum.FreshResult(i) && sum.Wraps == 0 {
					continue
				}
				var v ssa.Value
				if n == 1 {
					v = call
				} else {
					for _, instr := range *call.Referrers() {
						if ex, ok := instr.(*ssa.Extract); ok && ex.Index == i {
							v = ex
						}
					}
				}
				if v == nil || !c.res.Fresh(v) || unused(v) {
					// Discarded with _: nothing derived from it can
					// escape either; a deliberate discard is left to
					// the reviewer.
					continue
				}
				c.check(fn, call, i, v)
			}
		}
	}
}

func (c *checker) check(fn *ssa.Function, call *ssa.Call, index int, v ssa.Value) {
	stop := map[ssa.Instruction]bool{}
	for _, d := range c.res.Disposals(v) {
		stop[d.Instr] = true
		if st, ok := d.Instr.(*ssa.Store); ok && d.How == lifetime.Stored {
			c.checkOverwrite(fn, call, index, st)
		}
	}
	aliases := lifetime.Aliases(v)
	errv := errResult(call)
	leaks := leakingReturns(call, stop, func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		return prune(b, aliases, errv)
	})
	// How often the function runs decides which losses matter: nothing run
	// once (main, init) leaks more than once, and in a function of unknown
	// frequency a loss on an error return is most often startup code failing
	// on its way out of the process. On a repeated path every loss counts.
	switch reqscope.Of(fn).Kind {
	case reqscope.Once:
		return
	case reqscope.Unknown:
		leaks = slices.DeleteFunc(leaks, isErrorReturn)
	}
	if len(leaks) == 0 {
		return
	}
	sort.Slice(leaks, func(i, j int) bool { return leaks[i].Pos() < leaks[j].Pos() })
	c.report(fn, call, index, v, aliases, leaks)
}

// isErrorReturn reports whether ret returns a non-nil error as the
// function's last result.
func isErrorReturn(ret *ssa.Return) bool {
	n := len(ret.Results)
	if n == 0 {
		return false
	}
	last := ret.Results[n-1]
	if !types.Identical(last.Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	return !isNil(last)
}

func unused(v ssa.Value) bool {
	for _, instr := range *v.Referrers() {
		if _, ok := instr.(*ssa.DebugRef); !ok {
			return false
		}
	}
	return true
}

// errResult returns the value of the call's last result when it is an
// error.
func errResult(call *ssa.Call) ssa.Value {
	res := call.Call.Signature().Results()
	if res.Len() < 2 || !types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return nil
	}
	for _, instr := range *call.Referrers() {
		if ex, ok := instr.(*ssa.Extract); ok && ex.Index == res.Len()-1 {
			return ex
		}
	}
	return nil
}

// prune returns the successors of b that can be taken while the resource
// exists: the branch where the creation failed (err != nil, v == nil) is not.
func prune(b *ssa.BasicBlock, aliases map[ssa.Value]bool, errv ssa.Value) []*ssa.BasicBlock {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || len(b.Succs) != 2 {
		return b.Succs
	}
	cond, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || (cond.Op != token.EQL && cond.Op != token.NEQ) {
		return b.Succs
	}
	x, y := cond.X, cond.Y
	if isNil(x) {
		x, y = y, x
	}
	if !isNil(y) {
		return b.Succs
	}
	switch {
	case errv != nil && x == errv:
		// err != nil: the true branch has no resource.
		if cond.Op == token.NEQ {
			return b.Succs[1:]
		}
		return b.Succs[:1]
	case aliases[x]:
		// v == nil: the true branch has no resource.
		if cond.Op == token.EQL {
			return b.Succs[1:]
		}
		return b.Succs[:1]
	}
	return b.Succs
}

func isNil(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// leakingReturns returns the return instructions reachable from just after
// the creation without passing a disposal.
func leakingReturns(from ssa.Instruction, stop map[ssa.Instruction]bool, succs func(*ssa.BasicBlock) []*ssa.BasicBlock) []*ssa.Return {
	var out []*ssa.Return
	// scan reports whether the rest of the block (from index i) is free
	// of disposals, and records its return.
	scan := func(b *ssa.BasicBlock, i int) bool {
		for ; i < len(b.Instrs); i++ {
			if stop[b.Instrs[i]] {
				return false
			}
			if ret, ok := b.Instrs[i].(*ssa.Return); ok {
				out = append(out, ret)
			}
		}
		return true
	}
	start := from.Block()
	idx := 0
	for i, instr := range start.Instrs {
		if instr == from {
			idx = i + 1
		}
	}
	if !scan(start, idx) {
		return nil
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), succs(start)...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if scan(b, 0) {
			stack = append(stack, succs(b)...)
		}
	}
	return out
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func (c *checker) report(fn *ssa.Function, call *ssa.Call, index int, v ssa.Value, aliases map[ssa.Value]bool, leaks []*ssa.Return) {
	expr := c.callAt(call.Pos())
	pos := call.Pos()
	what := "the result"
	callee := "the call"
	if expr != nil {
		pos = expr.Pos()
		callee = types.ExprString(expr.Fun)
		if name := c.lhsName(expr, index); name != "" {
			what = name
		}
	}
	qual := func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		return p.Name()
	}
	ret := leaks[0]
	retPos, retWhere := ret.Pos(), ""
	if retPos.IsValid() {
		retWhere = fmt.Sprintf("the return at line %d", c.line(retPos))
	} else {
		// The implicit return at the end of the function.
		retPos = fn.Syntax().End() - 1
		retWhere = fmt.Sprintf("the end of the function at line %d", c.line(retPos))
	}
	msg := fmt.Sprintf("%s (%s from %s) is never closed on the path to %s",
		what, types.TypeString(v.Type(), qual), callee, retWhere)
	if len(leaks) > 1 {
		msg += fmt.Sprintf(" (and %d other returns)", len(leaks)-1)
	}
	if d := c.derived(ret, aliases); d != "" {
		msg += fmt.Sprintf(": only %s escapes, and nothing can close %s through it", d, what)
	} else {
		msg += ": it is not returned, stored or handed to an owner there"
	}
	if s := reqscope.Of(fn); s.Kind == reqscope.Repeated {
		msg += "; this leaks " + s.Why
	}
	msg += fmt.Sprintf("; close it on that path, return or store it, or attach runtime.AddCleanup to the value that outlives %s so that it closes %s", displayName(fn), what)
	c.r.Report(analysis.Diagnostic{
		Pos:     pos,
		Message: msg,
		Related: []analysis.RelatedInformation{{Pos: retPos, Message: "this return loses " + what}},
	})
}

// derived describes a value returned by ret that is derived from the
// resource: the result of a method call on it.
func (c *checker) derived(ret *ssa.Return, aliases map[ssa.Value]bool) string {
	for _, r := range ret.Results {
		if mi, ok := r.(*ssa.MakeInterface); ok {
			r = mi.X
		}
		call, ok := r.(*ssa.Call)
		if !ok {
			continue
		}
		cc := call.Common()
		recv := cc.Value
		if !cc.IsInvoke() {
			if len(cc.Args) == 0 || cc.StaticCallee() == nil || cc.StaticCallee().Signature.Recv() == nil {
				continue
			}
			recv = cc.Args[0]
		}
		if aliases[recv] {
			if e := c.callAt(call.Pos()); e != nil {
				return types.ExprString(e.Fun) + "(...)"
			}
			return "a value derived from it"
		}
	}
	return ""
}

func displayName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal"
	}
	return fn.Name()
}

// callAt returns the call expression whose left parenthesis is at lparen.
func (c *checker) callAt(lparen token.Pos) *ast.CallExpr {
	if c.calls == nil {
		c.calls = map[token.Pos]*ast.CallExpr{}
		c.names = map[*ast.CallExpr][]ast.Expr{}
		for _, f := range c.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					c.calls[n.Lparen] = n
				case *ast.AssignStmt:
					if len(n.Rhs) == 1 {
						if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
							c.names[call] = n.Lhs
						}
					}
				case *ast.ValueSpec:
					if len(n.Values) == 1 {
						if call, ok := ast.Unparen(n.Values[0]).(*ast.CallExpr); ok {
							for _, id := range n.Names {
								c.names[call] = append(c.names[call], id)
							}
						}
					}
				}
				return true
			})
		}
	}
	return c.calls[lparen]
}

func (c *checker) lhsName(call *ast.CallExpr, index int) string {
	lhs := c.names[call]
	if index < len(lhs) {
		if id, ok := lhs[index].(*ast.Ident); ok && id.Name != "_" {
			return id.Name
		}
	}
	return ""
}

// checkOverwrite reports a store of a new resource into a field of an
// existing object, on a reload path, when the function never looks at the
// old value: the old resource is lost.
func (c *checker) checkOverwrite(fn *ssa.Function, call *ssa.Call, index int, st *ssa.Store) {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return
	}
	if _, fresh := fa.X.(*ssa.Alloc); fresh {
		return // initialising a new object
	}
	why := reloadPath(fn)
	if why == "" {
		return
	}
	// Any read of the field (a nil check for lazy initialisation, saving
	// the old value to close it) means the function deals with the old one.
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if other, ok := instr.(*ssa.FieldAddr); ok && other != fa && other.Field == fa.Field &&
				types.Identical(other.X.Type(), fa.X.Type()) && readsField(other) {
				return
			}
		}
	}
	field := fieldName(fa)
	pos := st.Pos()
	if expr := c.callAt(call.Pos()); expr != nil && !pos.IsValid() {
		pos = expr.Pos()
	}
	c.r.Report(analysis.Diagnostic{
		Pos: pos,
		Message: fmt.Sprintf("field %s is overwritten with a new resource %s without the old one being closed: each overwrite leaks the previous value; close the old value (old := x.%s; x.%s = new; old.Close()) or reuse it",
			field, why, field, field),
	})
}

func readsField(fa *ssa.FieldAddr) bool {
	for _, instr := range *fa.Referrers() {
		if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL {
			return true
		}
	}
	return false
}

func fieldName(fa *ssa.FieldAddr) string {
	if pt, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
		if st, ok := pt.Elem().Underlying().(*types.Struct); ok && fa.Field < st.NumFields() {
			return st.Field(fa.Field).Name()
		}
	}
	return "?"
}

// reloadPath says why fn runs again and again with the same object, or "".
// initName reports names of functions that set an object up once.
func initName(fn *ssa.Function) bool {
	name := strings.ToLower(fn.Name())
	for _, p := range []string{"init", "new", "setup", "start", "open", "dial", "connect"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func reloadPath(fn *ssa.Function) string {
	// A method that runs per request or round trip runs on a long-lived
	// receiver; one that merely takes a connection may be setting up a
	// receiver made for that connection (frp's KCPTunnelSession.Init), where
	// the field was empty before.
	if s := reqscope.Of(fn); s.Kind == reqscope.Repeated && !strings.HasPrefix(s.Why, "for every connection") && !initName(fn) {
		return s.Why
	}
	for f := fn; f != nil; f = f.Parent() {
		if f.Parent() == nil {
			name := strings.ToLower(f.Name())
			for _, w := range []string{"reload", "refresh", "update", "reconfigure", "apply"} {
				if strings.Contains(name, w) {
					return fmt.Sprintf("every time %s runs (it reloads the configuration)", f.Name())
				}
			}
		}
	}
	return ""
}
