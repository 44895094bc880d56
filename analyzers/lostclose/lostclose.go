package lostclose

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
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

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 3

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
	if !res.HasLocalSummaries() {
		return nil, nil
	}
	c := &checker{pass: pass, r: r, res: res}
	for _, fn := range ssair.Of(pass).SrcFuncs() {
		c.checkFunc(fn)
	}
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	res   *lifetime.Result
	calls map[token.Pos]*ast.CallExpr
	names map[*ast.CallExpr][]ast.Expr
	// goParams are the goroutine parameters already judged.
	goParams map[*ssa.Parameter]bool
}

// checkFunc asks the lifetime model for the resources fn creates and their
// fate. Goroutine-backed writers are logwriter's and transports are
// idletransport's; lostclose reports every other resource.
func (c *checker) checkFunc(fn *ssa.Function) {
	c.checkCancels(fn)
	var found []loss
	for _, b := range c.res.Births(fn) {
		if b.Call == nil || b.Value == nil || b.Kind == lifetime.Writer || b.Kind == lifetime.Transport {
			continue
		}
		if unused(b.Value) {
			// Discarded with _: nothing derived from it can escape
			// either; a deliberate discard is left to the reviewer.
			continue
		}
		if l, ok := c.check(fn, b); ok {
			found = append(found, l)
		}
	}
	// Creations on alternative paths merged into one variable (conn, err
	// = DialA() on one branch, DialB() on another) and lost by the same
	// return are one loss, reported at that return.
	done := map[int]bool{}
	for i, l := range found {
		if done[i] {
			continue
		}
		group := []loss{l}
		for j := i + 1; j < len(found); j++ {
			if !done[j] && found[j].leaks[0] == l.leaks[0] && merged(l.b.Value, found[j].b.Value) {
				group = append(group, found[j])
				done[j] = true
			}
		}
		if len(group) == 1 {
			c.report(fn, l.b, l.f, l.leaks)
		} else {
			c.reportMerged(fn, group)
		}
	}
}

// A loss is a creation that some returns lose.
type loss struct {
	b     lifetime.Birth
	f     lifetime.Fate
	leaks []*ssa.Return
}

// merged reports whether a and b flow into a common phi: one variable
// assigned on alternative paths.
func merged(a, b ssa.Value) bool {
	as, bs := lifetime.Aliases(a), lifetime.Aliases(b)
	for v := range as {
		if _, ok := v.(*ssa.Phi); ok && bs[v] {
			return true
		}
	}
	return false
}

func (c *checker) check(fn *ssa.Function, b lifetime.Birth) (loss, bool) {
	if runOnly(b.Value) {
		return loss{}, false
	}
	f := c.res.FateOf(b)
	c.checkGoroutine(fn, b, f)
	for _, d := range f.Disposals {
		if d.Held && !d.Outside || d.How != lifetime.Stored || closedBefore(f, d.Instr) {
			// What is stored only holds it (a struct parsed from a
			// file), or it is closed on every path to the store (a
			// defer): no live resource replaces another. A holder
			// stored into an existing object's field (d.enc =
			// newEncoder(conn)) replaces the old holder and what it
			// held.
			continue
		}
		if ownedElsewhere(f, d) {
			// The resource is also kept where it is released (a
			// holder's connection in a field closed before the
			// redial; a connection handed to the goroutine that
			// consumes and closes it): replacing the field loses
			// nothing.
			continue
		}
		if st, ok := d.Instr.(*ssa.Store); ok {
			c.checkOverwrite(fn, b, st)
		}
		if call, ok := d.Instr.(ssa.CallInstruction); ok {
			c.checkContainerOverwrite(fn, b, call)
		}
	}
	leaks := f.Leaks
	// How often the function runs decides which losses matter: nothing run
	// once (main, init) leaks more than once, and in a function of unknown
	// frequency a loss on an error return is most often startup code failing
	// on its way out of the process. On a repeated path every loss counts.
	switch reqscope.Of(fn).Kind {
	case reqscope.Once:
		return loss{}, false
	case reqscope.Unknown:
		// A response is no setup step: a request whose status check
		// returns an error before the body is closed is the common
		// bug, and it runs as often as the requests do.
		if !lifetime.IsResponse(b.Value.Type()) {
			leaks = slices.DeleteFunc(leaks, isErrorReturn)
		}
		// A return that hands back a handle keeping the resource in use
		// (a storage around a client's bucket handle) keeps it for the
		// handle's life, by design: whether that repeats is the
		// callers' question. A holder of another kind (a helper's
		// wrapper with no Close) is a loss.
		leaks = slices.DeleteFunc(leaks, func(ret *ssa.Return) bool { return returnsHolder(f, ret) })
	}
	if len(leaks) == 0 {
		return loss{}, false
	}
	return loss{b, f, leaks}, true
}

// reportMerged reports one loss of several creations merged into one
// variable, at the return that loses it: the line to change.
func (c *checker) reportMerged(fn *ssa.Function, group []loss) {
	l := group[0]
	what := "the result"
	var froms []string
	var related []analysis.RelatedInformation
	for _, g := range group {
		callee := "the call"
		if expr := c.callAt(g.b.Call.Pos()); expr != nil {
			callee = types.ExprString(expr.Fun)
			if name := c.lhsName(expr, g.b.Index); name != "" {
				what = name
			}
			related = append(related, analysis.RelatedInformation{Pos: expr.Pos(), Message: fmt.Sprintf("%s is created here", what)})
		}
		froms = append(froms, fmt.Sprintf("%s at line %d", callee, c.line(g.b.Call.Pos())))
	}
	ret := l.leaks[0]
	pos := ret.Pos()
	if !pos.IsValid() {
		pos = fn.Syntax().End() - 1
	}
	qual := func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		return p.Name()
	}
	done, verb := c.verbs(l.b.Value.Type())
	msg := fmt.Sprintf("this return loses %s (%s from %s): it is never %s on the way here, and it is not returned, stored or handed to an owner",
		what, types.TypeString(l.b.Value.Type(), qual), strings.Join(froms, ", "), done)
	if len(l.leaks) > 1 {
		msg += fmt.Sprintf(" (%d other returns lose it too)", len(l.leaks)-1)
	}
	if s := reqscope.Of(fn); s.Kind == reqscope.Repeated {
		msg += "; this leaks " + s.Why
	}
	msg += fmt.Sprintf("; %s %s before this return", verb, what)
	c.r.Report(analysis.Diagnostic{Pos: pos, Message: msg, Related: related})
}

// runNames are the methods that run a server or a service for its life:
// when they return, it has stopped.
var runNames = map[string]bool{"Serve": true, "ServeTLS": true, "ListenAndServe": true, "ListenAndServeTLS": true, "Run": true, "Start": true}

// runOnly reports whether the only use of v is one call of a method that
// runs it for its life (return NewServer(cfg).Start(), go
// srv.ServeTLS(l, cert, key)): when the call returns the value is done,
// and there is no later point to close it.
func runOnly(v ssa.Value) bool {
	var use ssa.CallInstruction
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
			continue
		case ssa.CallInstruction:
			if use != nil {
				return false
			}
			use = ref
		default:
			return false
		}
	}
	if use == nil {
		return false
	}
	c := use.Common()
	if c.IsInvoke() {
		return c.Value == v && runNames[c.Method.Name()]
	}
	callee := c.StaticCallee()
	return callee != nil && callee.Signature.Recv() != nil && len(c.Args) > 0 && c.Args[0] == v && runNames[callee.Name()]
}

// ownedElsewhere reports whether the resource of fate f, stored by d, has
// another owner: for a holder's store, any unheld disposal that keeps or
// releases it; for a store of the resource itself, a hand-off to an owner
// (a goroutine, a callee that releases it).
func ownedElsewhere(f lifetime.Fate, d lifetime.Disposal) bool {
	for _, o := range f.Disposals {
		if o.Instr == d.Instr || o.Held || !o.Releasing() {
			continue
		}
		if d.Held || o.How == lifetime.Passed {
			return true
		}
	}
	return false
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
	// A function with a defer returns through result cells.
	last = lifetime.ReturnedValue(last)
	k, ok := last.(*ssa.Const)
	return !ok || !k.IsNil()
}

// closedBefore reports whether the resource is closed, or its close is
// deferred, on every path to instr.
func closedBefore(f lifetime.Fate, instr ssa.Instruction) bool {
	for _, d := range f.Disposals {
		if d.How == lifetime.Closed && lifetime.RunsBefore(d.Instr, instr) {
			return true
		}
	}
	return false
}

// returnsHolder reports whether ret returns a handle that keeps the
// resource in use (one its own method made): a held disposal of its fate is
// that return.
func returnsHolder(f lifetime.Fate, ret *ssa.Return) bool {
	for _, d := range f.Disposals {
		if d.Held && d.Handle && d.How == lifetime.Returned && d.Instr == ret {
			return true
		}
	}
	return false
}

func unused(v ssa.Value) bool {
	for _, instr := range *v.Referrers() {
		if _, ok := instr.(*ssa.DebugRef); !ok {
			return false
		}
	}
	return true
}

// verbs names how a value of type t is released, as the past participle
// and the verb: "closed" and "close", "stopped" and "stop" for a ticker,
// "stopped" and "call Cancel on" for a value only its Cancel method ends.
func (c *checker) verbs(t types.Type) (done, verb string) {
	if m, ok := c.res.IsResource(t); ok && m != nil {
		switch m.Name() {
		case "Stop":
			return "stopped", "stop"
		case "Release":
			return "released", "release"
		case "Shutdown":
			return "shut down", "shut down"
		}
	}
	if m := c.res.StopMethod(t); m != nil {
		// A value whose goroutine only its Cancel (Quit, Kill) ends.
		return "stopped", "call " + m.Name() + " on"
	}
	return "closed", "close"
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func (c *checker) report(fn *ssa.Function, b lifetime.Birth, f lifetime.Fate, leaks []*ssa.Return) {
	call, index, v := b.Call, b.Index, b.Value
	aliases := lifetime.Aliases(v)
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
	done, verb := c.verbs(v.Type())
	response := lifetime.IsResponse(v.Type())
	msg := fmt.Sprintf("%s (%s from %s) is never %s on the path to %s",
		what, types.TypeString(v.Type(), qual), callee, done, retWhere)
	if response {
		msg = "the body of " + msg
	}
	if len(leaks) > 1 {
		msg += fmt.Sprintf(" (and %d other returns)", len(leaks)-1)
	}
	if d := c.derived(ret, aliases); d != "" {
		msg += fmt.Sprintf(": only %s escapes, and nothing can close %s through it", d, what)
	} else if f.Held != "" {
		msg += fmt.Sprintf(": it is kept only by %s, which cannot close it", f.Held)
	} else {
		msg += ": it is not returned, stored or handed to an owner there"
	}
	if s := reqscope.Of(fn); s.Kind == reqscope.Repeated {
		msg += "; this leaks " + s.Why
	}
	if response {
		msg += fmt.Sprintf("; an unclosed body keeps its connection busy (over HTTP/1, with the transport's reader goroutine) until the server ends it; defer %s.Body.Close() right after the error check, or read the body to its end", what)
	} else if c.res.Pinned(v) {
		// Its own goroutine keeps it reachable: a cleanup would never run.
		msg += fmt.Sprintf("; %s it on that path, or return or store it", verb)
	} else {
		msg += fmt.Sprintf("; %s it on that path, return or store it, or attach runtime.AddCleanup to the value that outlives %s to %s %s", verb, displayName(fn), verb, what)
	}
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
func (c *checker) checkOverwrite(fn *ssa.Function, b lifetime.Birth, st *ssa.Store) {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return
	}
	if _, fresh := fa.X.(*ssa.Alloc); fresh {
		return // initialising a new object
	}
	why := reloadPath(fn, fa.X)
	if why == "" {
		return
	}
	if !c.res.Overwrites(st) {
		return // the old value is nil there, or released or handed on
	}
	field := fieldName(fa)
	pos := st.Pos()
	if expr := c.callAt(b.Call.Pos()); expr != nil && !pos.IsValid() {
		pos = expr.Pos()
	}
	done, verb := c.verbs(st.Val.Type())
	msg := fmt.Sprintf("field %s is overwritten with a new resource %s without the old one being %s: each overwrite leaks the previous value; %s the old value (old := x.%s; x.%s = new, then release old) or reuse it",
		field, why, done, verb, field, field)
	if part := c.res.SharedReplacedPart(st); part != "" {
		msg = fmt.Sprintf("field %s is overwritten with a new resource %s, and the old value is %s only where its %s differs from the new one's: whenever they share it, the old value and everything else it holds leak; %s the old value on every path (leaving what it shares with the new one open)", field, why, done, part, verb)
	}
	c.r.Report(analysis.Diagnostic{Pos: pos, Message: msg})
}

// checkContainerOverwrite reports a Store of a new resource into an
// atomic.Value or atomic.Pointer of an existing object (or a Swap whose
// result is dropped), on a reload path, when the function never releases
// the value it replaces.
func (c *checker) checkContainerOverwrite(fn *ssa.Function, b lifetime.Birth, call ssa.CallInstruction) {
	common := call.Common()
	obj := lifetime.FuncObject(common.StaticCallee())
	if lifetime.ContainerStoreArg(obj) < 0 {
		return
	}
	var base ssa.Value
	if fa, ok := common.Args[0].(*ssa.FieldAddr); ok {
		base = fa.X
	}
	why := reloadPath(fn, base)
	if why == "" || !c.res.OverwritesContainer(call) {
		return
	}
	name := "the atomic value"
	if fa, ok := common.Args[0].(*ssa.FieldAddr); ok {
		name = "field " + fieldName(fa)
	} else if g, ok := common.Args[0].(*ssa.Global); ok {
		name = g.Name()
	}
	done, verb := c.verbs(ssair.Unconvert(common.Args[lifetime.ContainerStoreArg(obj)]).Type())
	msg := fmt.Sprintf("%s is given a new resource by %s %s without the old value being %s: each %s leaks the previous value; ", name, obj.Name(), why, done, strings.ToLower(obj.Name()))
	if part := c.res.SharedReplacedPart(call); part != "" {
		msg = fmt.Sprintf("%s is given a new resource by %s %s, and the old value is %s only where its %s differs from the new one's: whenever they share it, the old value and everything else it holds leak; %s the old value on every path (leaving what it shares with the new one open)", name, obj.Name(), why, done, part, verb)
	} else if obj.Name() == "Swap" {
		msg += fmt.Sprintf("%s the value Swap returns", verb)
	} else {
		msg += fmt.Sprintf("use Swap and %s the value it returns, or reuse the old value", verb)
	}
	c.r.Report(analysis.Diagnostic{Pos: call.Pos(), Message: msg})
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

func reloadPath(fn *ssa.Function, obj ssa.Value) string {
	self := fn.Signature.Recv() != nil && len(fn.Params) > 0 && lifetime.IsParamOrSpill(obj, fn.Params[0])
	return reloadPathAt(fn, 0, self)
}

// reloadPathAt is reloadPath for a store into the receiver of fn (self) or
// into another object.
func reloadPathAt(fn *ssa.Function, depth int, self bool) string {
	// A method that runs per request or round trip runs on a long-lived
	// receiver; one that merely takes a connection may be setting up a
	// receiver made for that connection (frp's KCPTunnelSession.Init), where
	// the field was empty before.
	if s := reqscope.Own(fn); s.Kind == reqscope.Repeated && !strings.HasPrefix(s.Why, "for every connection") && !initName(fn) {
		return s.Why
	}
	if why := reqscope.RerunOnReceiver(fn); why != "" {
		return why
	}
	for f := fn; f != nil; f = f.Parent() {
		if f.Parent() != nil {
			continue
		}
		// A function only its package calls runs as often as its
		// callers run it on the same object, whatever its name: a
		// reload helper called from the set-up of each new object runs
		// once per object. A method inherits its caller's reruns only
		// where the caller calls it on its own receiver (s.reload()
		// in s.Reload), the object whose fields it sets.
		if sites, hidden := reqscope.Callers(f); self && f == fn && !hidden && len(sites) > 0 {
			if depth > 3 {
				return ""
			}
			for _, site := range sites {
				caller := site.Parent()
				args := site.Common().Args
				if site.Common().IsInvoke() || len(args) == 0 || caller.Signature.Recv() == nil || len(caller.Params) == 0 || !lifetime.IsParamOrSpill(args[0], caller.Params[0]) {
					continue
				}
				if why := reloadPathAt(caller, depth+1, true); why != "" {
					return why
				}
			}
			return ""
		}
		name := strings.ToLower(f.Name())
		for _, w := range []string{"reload", "refresh", "update", "reconfigure", "apply"} {
			if strings.Contains(name, w) {
				return fmt.Sprintf("every time %s runs (it reloads the configuration)", f.Name())
			}
		}
	}
	return ""
}

// checkGoroutine follows a resource that fn hands to a goroutine of the
// package (go handle(conn)) and releases in no other way: the goroutine
// owns it, so every path of the goroutine's function must release it or
// hand it on. A return that loses it is reported in that function, where
// the fix goes.
func (c *checker) checkGoroutine(fn *ssa.Function, b lifetime.Birth, f lifetime.Fate) {
	var goes []*ssa.Go
	for _, d := range f.Disposals {
		if g, ok := d.Instr.(*ssa.Go); ok && d.How == lifetime.Passed {
			goes = append(goes, g)
			continue
		}
		if d.Releasing() {
			// fn keeps a share of it (closes, returns or registers it:
			// a session also kept in a map): the goroutine is not its
			// only owner.
			return
		}
	}
	if len(goes) != 1 {
		return // no goroutine, or several sharing it
	}
	g := goes[0]
	callee := g.Call.StaticCallee()
	if callee == nil || g.Call.IsInvoke() || callee.Pkg != fn.Pkg || callee.Blocks == nil || callee.Synthetic != "" {
		return
	}
	aliases := lifetime.Aliases(b.Value)
	idx := -1
	for i, a := range g.Call.Args {
		if aliases[a] || aliases[ssair.Unconvert(a)] {
			if idx >= 0 {
				return // passed twice
			}
			idx = i
		}
	}
	if idx < 0 || idx >= len(callee.Params) || idx == 0 && callee.Signature.Recv() != nil {
		return // a method of the resource itself runs on it
	}
	p := callee.Params[idx]
	if c.goParams == nil {
		c.goParams = map[*ssa.Parameter]bool{}
	}
	if c.goParams[p] {
		return
	}
	c.goParams[p] = true
	pf := c.res.FateOf(lifetime.GoroutineParam(callee, idx, b))
	if len(pf.Leaks) == 0 || pf.Lost {
		// Lost on every path: the goroutine does nothing with it that
		// the model can see; the caller's hand-off is judged there.
		return
	}
	ret := pf.Leaks[0]
	pos := ret.Pos()
	retWhere := fmt.Sprintf("the return at line %d", c.line(pos))
	if !pos.IsValid() {
		pos = callee.Syntax().End() - 1
		retWhere = fmt.Sprintf("the end of the function at line %d", c.line(pos))
	}
	name := p.Name()
	done, verb := c.verbs(p.Type())
	qual := func(pk *types.Package) string {
		if pk == c.pass.Pkg {
			return ""
		}
		return pk.Name()
	}
	msg := fmt.Sprintf("%s (%s, which %s hands to this goroutine at line %d and does not %s itself) is never %s on the path to %s",
		name, types.TypeString(p.Type(), qual), displayName(fn), c.line(g.Pos()), verb, done, retWhere)
	if len(pf.Leaks) > 1 {
		msg += fmt.Sprintf(" (and %d other returns)", len(pf.Leaks)-1)
	}
	msg += ": it is not returned, stored or handed to an owner there"
	if s := reqscope.Of(fn); s.Kind == reqscope.Repeated {
		msg += "; this leaks " + s.Why
	}
	msg += fmt.Sprintf("; %s %s on that path, or defer it at the top of %s", verb, name, displayName(callee))
	c.r.Report(analysis.Diagnostic{
		Pos:     pos,
		Message: msg,
		Related: []analysis.RelatedInformation{{Pos: g.Pos(), Message: "the goroutine is started here"}},
	})
}

// checkCancels reports a context's cancel function stored over the one an
// existing object kept, on a reload path, when the old one is never called:
// the old context is never cancelled, and whatever waits on it (the
// goroutines of the configuration it served) waits forever. A cancel the
// function only loses is go vet's lostcancel.
func (c *checker) checkCancels(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			cancel := lifetime.CancelOf(call)
			if cancel == nil {
				continue
			}
			for v := range lifetime.Aliases(cancel) {
				for _, ref := range *v.Referrers() {
					st, ok := ref.(*ssa.Store)
					if !ok || st.Val != v {
						continue
					}
					fa, ok := st.Addr.(*ssa.FieldAddr)
					if !ok {
						continue
					}
					if _, fresh := fa.X.(*ssa.Alloc); fresh {
						continue
					}
					why := reloadPath(fn, fa.X)
					if why == "" || !c.res.Overwrites(st) {
						continue
					}
					field := fieldName(fa)
					c.r.Report(analysis.Diagnostic{
						Pos: st.Pos(),
						Message: fmt.Sprintf("field %s is overwritten with a new context's cancel function %s without the old one being called: the old context is never cancelled, and what waits on it waits forever; call the old cancel first (if x.%s != nil { x.%s() })",
							field, why, field, field),
					})
				}
			}
		}
	}
}
