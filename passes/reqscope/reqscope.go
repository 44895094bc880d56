// Package reqscope tells how often a function of a proxy runs: once for the
// life of the process (package initialisation, main, a sync.Once), or again
// and again (per request, per round trip, per connection, per handler build,
// per loop iteration). Checks use it to tell a resource created once, which is
// harmless when it is never released, from one created per call, which leaks.
//
// The classification is deliberately conservative about "repeated": a function
// is only called repeated when its signature or its context says so, because
// a finding on a function that in fact runs once is a false positive.
package reqscope

import (
	"cmp"
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/ssair"
	"golang.org/x/tools/go/ssa"
)

// Kind is how often a function runs.
type Kind int

const (
	Unknown  Kind = iota // nothing says; callers decide through facts
	Once                 // at most once per process
	Repeated             // per request, connection, build or iteration
)

// Scope is the classification of one function.
type Scope struct {
	Kind Kind
	// Why completes "this code runs ...", e.g. "on every request served by
	// ServeHTTP". Empty unless Kind is Repeated.
	Why string
}

// Of classifies fn.
func Of(fn *ssa.Function) Scope {
	return of(fn, 0)
}

// Own classifies fn by its own signature and context (its enclosing
// functions, a sync.Once), not by its callers: whether fn itself is a
// per-request or per-connection entry point.
func Own(fn *ssa.Function) Scope {
	return of(fn, -100)
}

func of(fn *ssa.Function, depth int) Scope {
	if fn == nil || depth > 8 {
		return Scope{}
	}
	if depth < 0 {
		depth-- // Own: stays negative, so callers are never asked
	}
	if parent := fn.Parent(); parent != nil {
		// A literal's own signature wins: an HTTP handler registered from
		// main still runs on every request.
		if s := selfScope(fn); s.Kind == Repeated {
			return s
		}
		if s := valueScope(fn); s.Kind == Repeated {
			return s
		}
		if onceArg(fn) {
			return Scope{Kind: Once}
		}
		ps := of(parent, depth+1)
		if ps.Kind == Once && parsesCommandLine(outermost(parent)) {
			// A program entry outside package main runs once, but the
			// callbacks it builds (a session handler handed to a
			// server) run as often as they are called.
			ps = Scope{}
		}
		// Loops in code that runs once (main, init) are bounded by their
		// input, not by traffic.
		if ps.Kind == Unknown {
			for _, at := range madeAt(fn) {
				if InLoop(at) {
					return Scope{Kind: Repeated, Why: fmt.Sprintf("in a closure made on every iteration of a loop in %s", displayName(parent))}
				}
			}
		}
		return ps
	}
	if fn.Synthetic == "package initializer" || isInit(fn) {
		return Scope{Kind: Once}
	}
	if fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main" && fn.Name() == "main" && fn.Signature.Recv() == nil {
		return Scope{Kind: Once}
	}
	if parsesCommandLine(fn) {
		// A program's entry point, wherever it lives (a library's
		// ClientMain that main calls as os.Exit(cmd.ClientMain())):
		// the process's command line is parsed once.
		return Scope{Kind: Once}
	}
	if s := selfScope(fn); s.Kind != Unknown || depth < 0 {
		return s
	}
	return fromCallers(fn, depth)
}

// fromCallers classifies a function its own signature says nothing about by
// its callers in the same package: called from a repeated path, or on every
// iteration of a loop, it is repeated; called only from code that runs once
// (and, for an exported function or a method, not reachable from other
// packages' code in ways we cannot see) it runs once.
func fromCallers(fn *ssa.Function, depth int) Scope {
	if fn.Pkg == nil || depth > 4 {
		return Scope{}
	}
	sites, escapes := callersOf(fn)
	if escapes {
		if s := valueScope(fn); s.Kind == Repeated {
			return s
		}
	}
	if len(sites) == 0 {
		return Scope{}
	}
	allOnce := true
	for _, site := range sites {
		caller := site.Parent()
		cs := of(caller, depth+1)
		switch {
		case cs.Kind == Repeated:
			return Scope{Kind: Repeated, Why: fmt.Sprintf("%s, through its call in %s", cs.Why, displayName(caller))}
		case cs.Kind == Unknown && InLoop(site):
			return Scope{Kind: Repeated, Why: fmt.Sprintf("on every iteration of a loop in %s, which calls %s", displayName(caller), displayName(fn))}
		case cs.Kind != Once:
			allOnce = false
		}
	}
	exported := fn.Object() != nil && fn.Object().Exported() && fn.Pkg.Pkg.Name() != "main"
	if allOnce && !escapes && !exported && fn.Signature.Recv() == nil {
		return Scope{Kind: Once}
	}
	return Scope{}
}

// RerunOnReceiver reports how a method runs again on the same object: a
// method of its package calls it, on its own receiver, in a loop (a
// writer's serve loop redialling with d.dial() on every write error).
// Empty when it does not.
func RerunOnReceiver(fn *ssa.Function) string {
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 || fn.Pkg == nil {
		return ""
	}
	sites, _ := callersOf(fn)
	for _, site := range sites {
		caller := site.Parent()
		args := site.Common().Args
		if caller.Signature.Recv() == nil || len(caller.Params) == 0 || len(args) == 0 || site.Common().IsInvoke() {
			continue
		}
		if args[0] == ssa.Value(caller.Params[0]) && InLoop(site) {
			return fmt.Sprintf("every time the loop in %s runs it again on the same object", displayName(caller))
		}
	}
	return ""
}

// callersOf returns the static call sites of fn in its package, and whether
// fn is also used as a value (passed, stored, made a method value), so that
// callers we cannot see may run it.
//
// A method's call sites include the calls, in its package, of an interface
// method of its name that its receiver type implements (h.Handle(conn) on
// an interface of the package's handlers): dynamic dispatch runs it as
// often.
func callersOf(fn *ssa.Function) (sites []ssa.CallInstruction, escapes bool) {
	idx := callIndex(fn.Pkg)
	sites = idx.sites[fn]
	if recv := fn.Signature.Recv(); recv != nil && fn.Synthetic == "" {
		for _, call := range idx.invokes[fn.Name()] {
			iface, ok := call.Common().Value.Type().Underlying().(*types.Interface)
			if ok && types.Implements(recv.Type(), iface) {
				sites = append(sites, call)
			}
		}
		if len(sites) > len(idx.sites[fn]) {
			sites = slices.Clone(sites)
			slices.SortStableFunc(sites, func(a, b ssa.CallInstruction) int { return cmp.Compare(a.Pos(), b.Pos()) })
		}
	}
	return sites, idx.escapes[fn]
}

// Callers returns the call sites of fn in its package (a method's include
// the calls of an interface method of its name that its receiver type
// implements), and whether fn may also run from calls that cannot be seen:
// its name is exported, or it is used as a value.
func Callers(fn *ssa.Function) (sites []ssa.CallInstruction, hidden bool) {
	if fn == nil || fn.Pkg == nil {
		return nil, true
	}
	sites, escapes := callersOf(fn)
	return sites, escapes || token.IsExported(fn.Name())
}

type callers struct {
	sites   map[*ssa.Function][]ssa.CallInstruction
	escapes map[*ssa.Function]bool
	// invokes are the interface method calls, by method name.
	invokes map[string][]ssa.CallInstruction
}

// callIndexKey names the call index among the values ssair memoises for a
// package.
type callIndexKey struct{}

// callIndex returns the call index of pkg, built once per package and kept
// as long as the package's IR.
func callIndex(pkg *ssa.Package) *callers {
	return ssair.Memo(pkg, callIndexKey{}, func() *callers { return buildCallIndex(pkg) })
}

func buildCallIndex(pkg *ssa.Package) *callers {
	idx := &callers{sites: map[*ssa.Function][]ssa.CallInstruction{}, escapes: map[*ssa.Function]bool{}, invokes: map[string][]ssa.CallInstruction{}}
	var visit func(f *ssa.Function)
	visit = func(f *ssa.Function) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok {
					if com := call.Common(); com.IsInvoke() {
						idx.invokes[com.Method.Name()] = append(idx.invokes[com.Method.Name()], call)
					}
					if callee := call.Common().StaticCallee(); callee != nil && callee.Pkg == pkg {
						if o := callee.Origin(); o != nil {
							callee = o
						}
						idx.sites[callee] = append(idx.sites[callee], call)
					}
					for _, a := range call.Common().Args {
						if g, ok := a.(*ssa.Function); ok {
							idx.escapes[g] = true
						}
					}
					continue
				}
				for _, op := range instr.Operands(nil) {
					if g, ok := (*op).(*ssa.Function); ok && g.Pkg == pkg {
						idx.escapes[g] = true
					}
				}
			}
		}
		for _, anon := range f.AnonFuncs {
			visit(anon)
		}
	}
	// Members is a map: visit it in a fixed order, and list each
	// function's call sites in source order, so that the first repeated
	// caller, whose path a finding's message names, is the same on every
	// run.
	names := make([]string, 0, len(pkg.Members))
	for name := range pkg.Members {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		switch m := pkg.Members[name].(type) {
		case *ssa.Function:
			visit(m)
		case *ssa.Type:
			for _, t := range []types.Type{m.Type(), types.NewPointer(m.Type())} {
				ms := pkg.Prog.MethodSets.MethodSet(t)
				for i := 0; i < ms.Len(); i++ {
					if f := pkg.Prog.MethodValue(ms.At(i)); f != nil && f.Pkg == pkg && f.Synthetic == "" {
						visit(f)
					}
				}
			}
		}
	}
	for _, sites := range idx.invokes {
		slices.SortStableFunc(sites, func(a, b ssa.CallInstruction) int { return cmp.Compare(a.Pos(), b.Pos()) })
	}
	for _, sites := range idx.sites {
		slices.SortStableFunc(sites, func(a, b ssa.CallInstruction) int { return cmp.Compare(a.Pos(), b.Pos()) })
	}
	return idx
}

func isInit(fn *ssa.Function) bool {
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Name() == "init" && fn.Signature.Recv() == nil && obj.Parent() != nil && obj.Parent() == obj.Pkg().Scope()
}

// outermost returns the declared function a literal is nested in.
func outermost(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// parsesCommandLine reports whether fn itself parses the process's command
// line: it calls flag.Parse (or pflag's), or Parse of flag.CommandLine.
func parsesCommandLine(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil || callee.Pkg == nil || callee.Name() != "Parse" {
				continue
			}
			switch callee.Pkg.Pkg.Path() {
			case "flag", "github.com/spf13/pflag":
				if callee.Signature.Recv() == nil {
					return true
				}
				if g, ok := call.Call.Args[0].(*ssa.UnOp); ok {
					if gv, ok := g.X.(*ssa.Global); ok && gv.Name() == "CommandLine" {
						return true
					}
				}
			}
		}
	}
	return false
}

// selfScope classifies a function by its own signature.
func selfScope(fn *ssa.Function) Scope {
	sig := fn.Signature
	name := fn.Name()
	if sig.Recv() != nil {
		switch {
		case name == "ServeHTTP" && isHandlerSig(sig):
			return Scope{Kind: Repeated, Why: "on every request (it is a ServeHTTP method)"}
		case name == "RoundTrip" && sig.Params().Len() == 1 && typeis.Pointer(sig.Params().At(0).Type(), "net/http", "Request"):
			return Scope{Kind: Repeated, Why: "on every round trip (it is a RoundTrip method)"}
		case name == "Accept" && sig.Results().Len() >= 1 && IsConn(sig.Results().At(0).Type()):
			return Scope{Kind: Repeated, Why: "for every accepted connection (it is an Accept method)"}
		}
	}
	if isHandlerSig(sig) {
		return Scope{Kind: Repeated, Why: fmt.Sprintf("on every request (%s is an HTTP handler)", displayName(fn))}
	}
	for v := range sig.Params().Variables() {
		if IsConn(v.Type()) {
			return Scope{Kind: Repeated, Why: fmt.Sprintf("for every connection (%s takes a %s)", displayName(fn), types.TypeString(v.Type(), types.RelativeTo(fn.Pkg.Pkg)))}
		}
	}
	for v := range sig.Results().Variables() {
		if isHandlerType(v.Type()) {
			return Scope{Kind: Repeated, Why: fmt.Sprintf("every time %s builds a handler (proxies rebuild handlers on configuration reloads)", displayName(fn))}
		}
	}
	return Scope{}
}

// valueScope classifies a function that is used as a value (a function
// literal, or a declared function passed or stored) by what its signature
// makes it: a dial function, which returns a new connection (and an error),
// is called for every connection its user makes through it (a DialFunc of
// an HTTP client, a proxy dialer).
func valueScope(fn *ssa.Function) Scope {
	res := fn.Signature.Results()
	if res.Len() == 2 && IsConn(res.At(0).Type()) && isError(res.At(1).Type()) {
		return Scope{Kind: Repeated, Why: fmt.Sprintf("for every connection dialed through %s (a dial function handed out as a value)", displayName(fn))}
	}
	return Scope{}
}

// OnlyAValue reports whether fn is never called directly in its package
// but used as a value (stored, passed, returned): its callers are code we
// cannot see.
func OnlyAValue(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return len(madeAt(fn)) > 0 // a literal: always a value
	}
	if fn.Pkg == nil {
		return false
	}
	sites, escapes := callersOf(fn)
	return escapes && len(sites) == 0
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// RepeatedAt reports whether instr, in a function of the given scope, runs
// again and again, and why: the function is repeated, or instr lies on a
// loop of a function of unknown frequency.
func RepeatedAt(scope Scope, instr ssa.Instruction) (string, bool) {
	if scope.Kind == Repeated {
		return scope.Why, true
	}
	if scope.Kind == Unknown && InLoop(instr) {
		return "on every iteration of a loop", true
	}
	return "", false
}

// Name names fn for messages: its name, or "the function literal in F".
func Name(fn *ssa.Function) string { return displayName(fn) }

func displayName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal in " + displayName(fn.Parent())
	}
	return fn.Name()
}

// closureOf returns the MakeClosure that creates the function literal fn, if
// it is made by exactly one instruction.
func closureOf(fn *ssa.Function) *ssa.MakeClosure {
	parent := fn.Parent()
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc
			}
		}
	}
	return nil
}

// madeAt returns the instructions that make the function literal fn: its
// MakeClosure, or, for a literal without free variables, the instructions
// that use it directly as a value.
func madeAt(fn *ssa.Function) []ssa.Instruction {
	if mc := closureOf(fn); mc != nil {
		return []ssa.Instruction{mc}
	}
	var at []ssa.Instruction
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			for _, op := range instr.Operands(nil) {
				if *op == fn {
					at = append(at, instr)
				}
			}
		}
	}
	return at
}

// onceArg reports whether the function literal fn is run by a sync.Once or
// wrapped by sync.OnceFunc/OnceValue/OnceValues.
func onceArg(fn *ssa.Function) bool {
	var refs []ssa.Instruction
	for _, at := range madeAt(fn) {
		if mc, ok := at.(*ssa.MakeClosure); ok {
			if mc.Referrers() != nil {
				refs = append(refs, *mc.Referrers()...)
			}
		} else {
			refs = append(refs, at)
		}
	}
	for _, r := range refs {
		call, ok := r.(ssa.CallInstruction)
		if !ok {
			continue
		}
		if callee := call.Common().StaticCallee(); callee != nil {
			if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg().Path() == "sync" {
				switch obj.Name() {
				case "Do", "OnceFunc", "OnceValue", "OnceValues":
					return true
				}
			}
		}
	}
	return false
}

// Looped reports whether instr runs on every iteration of a loop: it lies
// on a cycle of its function, or its function is called from one (in its
// package, up to three calls away: a read helper called by a read loop).
func Looped(instr ssa.Instruction) bool {
	return InLoop(instr) || calledInLoop(instr.Parent(), 0)
}

func calledInLoop(fn *ssa.Function, depth int) bool {
	if fn == nil || fn.Pkg == nil || depth > 3 {
		return false
	}
	sites, _ := callersOf(fn)
	for _, site := range sites {
		if InLoop(site) || calledInLoop(site.Parent(), depth+1) {
			return true
		}
	}
	return false
}

// InLoop reports whether instr lies on a cycle of its function's control flow
// graph, so that it runs once per iteration.
func InLoop(instr ssa.Instruction) bool {
	start := instr.Block()
	return start != nil && ssair.Reaches(start.Succs, start, nil)
}

func isHandlerSig(sig *types.Signature) bool {
	p := sig.Params()
	return p.Len() == 2 && typeis.Named(p.At(0).Type(), "net/http", "ResponseWriter") && typeis.Pointer(p.At(1).Type(), "net/http", "Request")
}

// isHandlerType reports whether t is http.Handler, http.HandlerFunc,
// http.RoundTripper or a pointer to httputil.ReverseProxy: the things proxy
// builders return.
func isHandlerType(t types.Type) bool {
	return typeis.Named(t, "net/http", "Handler") || typeis.Named(t, "net/http", "HandlerFunc") ||
		typeis.Named(t, "net/http", "RoundTripper") || typeis.Pointer(t, "net/http/httputil", "ReverseProxy")
}

// IsConn reports whether t is net.Conn or a type that implements it.
func IsConn(t types.Type) bool {
	if typeis.Named(t, "net", "Conn") {
		return true
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		return false
	}
	// A concrete connection type: has Read, Write, Close, SetDeadline and RemoteAddr.
	ms := types.NewMethodSet(t)
	for _, m := range []string{"Read", "Write", "Close", "SetDeadline", "RemoteAddr", "LocalAddr"} {
		if ms.Lookup(nil, m) == nil {
			if ms2 := types.NewMethodSet(types.NewPointer(t)); ms2.Lookup(nil, m) == nil {
				return false
			}
		}
	}
	return true
}
