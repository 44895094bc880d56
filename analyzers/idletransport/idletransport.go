package idletransport

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/fixes"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 5

// Analyzer is the idletransport check.
var Analyzer = &analysis.Analyzer{
	Name:     "idletransport",
	Doc:      checkdoc.Extract(doc, "idletransport"),
	URL:      checkdoc.URL("idletransport"),
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer, lifetime.Analyzer},
	Run:      run,
}

// run asks the lifetime model for the transports each function builds
// (literals, clones, the results of factories, clients around them) and
// their fate, and reports those built on a path that runs again and again,
// or lost on every call, and neither reused nor released.
func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	res := lifetime.Of(pass)
	if !res.HasLocalSummaries() {
		return nil, nil
	}
	a := &analysis_{pass: pass, r: r, res: res, lits: litPositions(pass)}
	for _, fn := range ssair.Of(pass).SrcFuncs() {
		if report.InTestFile(pass, fn.Pos()) {
			continue
		}
		a.checkFunc(fn)
	}
	return nil, nil
}

// litPositions maps the Lbrace of each composite literal to the start of the
// expression a reviewer would edit (the & of &T{...}, else the literal).
func litPositions(pass *analysis.Pass) map[token.Pos]token.Pos {
	m := map[token.Pos]token.Pos{}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.UnaryExpr:
				if cl, ok := n.X.(*ast.CompositeLit); ok && n.Op == token.AND {
					m[cl.Lbrace] = n.Pos()
				}
			case *ast.CompositeLit:
				if _, ok := m[n.Lbrace]; !ok {
					m[n.Lbrace] = n.Pos()
				}
			}
			return true
		})
	}
	return m
}

type analysis_ struct {
	pass *analysis.Pass
	r    *report.Reporter
	res  *lifetime.Result
	lits map[token.Pos]token.Pos
}

func (a *analysis_) checkFunc(fn *ssa.Function) {
	var scope reqscope.Scope
	scoped := false
	for _, b := range a.res.Births(fn) {
		if b.Kind != lifetime.Transport {
			continue
		}
		if !scoped {
			scope, scoped = reqscope.Of(fn), true
		}
		if scope.Kind == reqscope.Once {
			return
		}
		why, repeated := reqscope.RepeatedAt(scope, b.Instr)
		if b.Via != "" {
			// A callee that drops a transport on every call; one of this
			// package is reported where it builds it.
			if callee := b.Call.Call.StaticCallee(); callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == a.pass.Pkg {
				continue
			}
			if repeated {
				a.report(fn, b, why, false, false)
			}
			continue
		}
		f := a.res.FateOf(b)
		if st := a.replacedStore(f); st != nil && repeated && a.reportReplaced(fn, b, st, why) {
			continue
		}
		if len(f.Leaks) == 0 {
			if repeated && returnedUnreleasable(fn, f) && !boundedIdle(b.Value) {
				// A factory callback (groupcache's Transport option):
				// whoever calls it gets a round tripper it cannot
				// release, on every call. One whose idle connections
				// time out (a clone of a configured transport) leaves
				// nothing for good.
				a.report(fn, b, fmt.Sprintf("on every call of %s, a function handed out as a value that returns it as an http.RoundTripper its callers cannot release,", reqscope.Name(fn)), boundedIdle(b.Value), true)
			}
			continue // released, kept for reuse, or returned to a caller that owns it
		}
		if lostOnlyFailing(f, b.Value) {
			// Lost only where the function gives up, before any request.
			continue
		}
		if closedUnread(b.Value) {
			// Every response's body is closed before it is read, on an
			// HTTP/1 transport: net/http closes such a connection
			// instead of pooling it, so nothing is left idle.
			continue
		}
		bounded := boundedIdle(b.Value)
		if bounded && !usedForRequest(b.Value) {
			// Idle connections time out, and the transport serves what it
			// is handed to (a handler built per reload): a bounded cost.
			continue
		}
		switch {
		case repeated:
			a.report(fn, b, why, bounded, f.Lost)
		case f.Lost && reusedInCall(b.Value):
			// Built once per run of a worker that reuses it in its loop
			// (how often the worker starts is its callers' question).
		case f.Lost && returnsHeld(f):
			// Handed back inside a holder (a client around a wrapping
			// round tripper): a factory, whose callers' frequency
			// decides; a client built once and kept is the common case.
		case f.Lost:
			a.report(fn, b, fmt.Sprintf("on every call of %s", reqscope.Name(fn)), bounded, true)
		}
	}
}

// returnsHeld reports whether the transport reaches a return of its
// function, inside a holder that cannot release it.
func returnsHeld(f lifetime.Fate) bool {
	for _, d := range f.Disposals {
		if d.How == lifetime.Returned && d.Held {
			return true
		}
	}
	return false
}

// usedForRequest reports whether the function sends a request through the
// transport v itself, or through a client or value it builds around it (Do,
// Get, Post, Head, RoundTrip): then every call opens a connection pool for
// one request, and an idle timeout does not make that cheap.
func usedForRequest(v ssa.Value) bool { return len(requestSites(v)) > 0 }

// reusedInCall reports whether every request through the transport (or the
// client built on it) is made on a loop of its function: the function is a
// worker that reuses the transport for its whole life (a health prober's
// ticker loop), not a helper that builds one per request.
func reusedInCall(v ssa.Value) bool {
	sites := requestSites(v)
	for _, s := range sites {
		if !reqscope.InLoop(s) {
			return false
		}
	}
	return len(sites) > 0
}

// requestSites returns the requests made through the transport v, or through
// a client or round tripper built on it in its function.
func requestSites(v ssa.Value) []ssa.Instruction {
	var sites []ssa.Instruction
	seen := map[ssa.Value]bool{}
	var walk func(x ssa.Value, depth int) bool
	walk = func(x ssa.Value, depth int) bool {
		if x == nil || seen[x] || depth > 6 || x.Referrers() == nil {
			return false
		}
		seen[x] = true
		for _, ref := range *x.Referrers() {
			switch ref := ref.(type) {
			case *ssa.MakeInterface, *ssa.ChangeType, *ssa.ChangeInterface, *ssa.Phi, *ssa.TypeAssert:
				if walk(ref.(ssa.Value), depth+1) {
					return true
				}
			case *ssa.UnOp:
				if walk(ref, depth+1) {
					return true
				}
			case *ssa.Store:
				// Kept in a field of a value built here (a client).
				if ref.Val == x {
					if fa, ok := ref.Addr.(*ssa.FieldAddr); ok {
						if _, fresh := fa.X.(*ssa.Alloc); fresh && walk(fa.X, depth+1) {
							return true
						}
					}
					if cell, ok := ref.Addr.(*ssa.Alloc); ok && walk(cell, depth+1) {
						return true
					}
				}
			case ssa.CallInstruction:
				c := ref.Common()
				name := ""
				recv := false
				if c.IsInvoke() {
					name, recv = c.Method.Name(), c.Value == x
				} else if callee := c.StaticCallee(); callee != nil && callee.Signature.Recv() != nil && len(c.Args) > 0 {
					name, recv = callee.Name(), c.Args[0] == x
				}
				if recv {
					switch name {
					case "Do", "Get", "Post", "PostForm", "Head", "RoundTrip":
						sites = append(sites, ref)
					}
				} else if v := ref.Value(); v != nil {
					// A client or round tripper built on it.
					walk(v, depth+1)
				}
			}
		}
		return false
	}
	walk(v, 0)
	return sites
}

// closedUnread reports whether v is a transport literal that speaks only
// HTTP/1 (it sets a TLS config or a dialer, without ForceAttemptHTTP2) and
// every request made through it (Do, Get, Post, PostForm; a HEAD has no
// body) has its response's body closed and never read: net/http then
// closes the connection rather than keep it idle (an empty body excepted,
// which the caller cannot make so).
func closedUnread(v ssa.Value) bool {
	alloc, ok := v.(*ssa.Alloc)
	if !ok || !http1Only(alloc) {
		return false
	}
	sites := requestSites(v)
	if len(sites) == 0 {
		return false
	}
	for _, site := range sites {
		call, ok := site.(*ssa.Call)
		if !ok {
			return false
		}
		name := ""
		if c := call.Common(); c.IsInvoke() {
			name = c.Method.Name()
		} else if callee := c.StaticCallee(); callee != nil {
			name = callee.Name()
		}
		switch name {
		case "Do", "Get", "Post", "PostForm":
		default:
			return false
		}
		if !bodyOnlyClosed(call) {
			return false
		}
	}
	return true
}

// http1Only reports whether the transport literal disables HTTP/2: it
// sets TLSClientConfig or a dial function and not ForceAttemptHTTP2.
func http1Only(alloc *ssa.Alloc) bool {
	custom := false
	for _, ref := range *alloc.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		f := ssair.FieldOf(fa)
		if f == nil {
			continue
		}
		stored := false
		for _, use := range *fa.Referrers() {
			if st, ok := use.(*ssa.Store); ok && st.Addr == fa {
				stored = true
			}
		}
		if !stored {
			continue
		}
		switch f.Name() {
		case "ForceAttemptHTTP2", "TLSNextProto":
			return false
		case "TLSClientConfig", "Dial", "DialContext", "DialTLS", "DialTLSContext":
			custom = true
		}
	}
	return custom
}

// bodyOnlyClosed reports whether the response of the request call is used
// for its Body only to close it, and the call's error is the only other
// result.
func bodyOnlyClosed(call *ssa.Call) bool {
	var resp ssa.Value
	for _, ref := range *call.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && ex.Index == 0 {
			resp = ex
		}
	}
	if resp == nil {
		return false
	}
	closed := false
	for _, ref := range *resp.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		if f := ssair.FieldOf(fa); f == nil || f.Name() != "Body" {
			continue
		}
		for _, use := range *fa.Referrers() {
			ld, ok := use.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				return false
			}
			for _, u := range *ld.Referrers() {
				c, ok := u.(ssa.CallInstruction)
				if !ok || !c.Common().IsInvoke() || c.Common().Method.Name() != "Close" || c.Common().Value != ld {
					return false
				}
				closed = true
			}
		}
	}
	return closed
}

// boundedIdle reports whether the transport closes its idle connections
// after a while: a literal with a positive or unknown IdleConnTimeout, or a
// transport that is not a literal (a clone of http.DefaultTransport has 90s).
func boundedIdle(v ssa.Value) bool { return boundedDepth(v, 0) }

func boundedDepth(v ssa.Value, depth int) bool {
	if _, ok := v.(*ssa.Alloc); !ok {
		// A transport a helper builds: judged by the literals it returns
		// (a transport from elsewhere, such as a Clone of the default,
		// is trusted to be bounded).
		if lits := returnedLiterals(v); depth < 3 && len(lits) > 0 {
			for _, l := range lits {
				if !boundedDepth(l, depth+1) {
					return false
				}
			}
		}
		return true
	}
	found := false
	lifetime.TransportFields(v, func(k lifetime.TransportKind, name string, val ssa.Value) {
		if name == "IdleConnTimeout" && lifetime.BoundsIdle(k, name, val) {
			found = true
		}
	})
	return found
}

// returnedLiterals returns the transport literals that the function of this
// package whose call v is (or is a result of) returns in v's place.
func returnedLiterals(v ssa.Value) []ssa.Value {
	results, ok := packageReturns(v)
	if !ok {
		return nil
	}
	var lits []ssa.Value
	for _, r := range results {
		r = ssair.Unconvert(r)
		if k, ok := r.(*ssa.Const); ok && k.IsNil() {
			continue
		}
		if a, ok := r.(*ssa.Alloc); !ok || lifetime.TransportOf(a.Type(), true) == lifetime.NotTransport {
			return nil // not only transport literals (a client around a clone, say)
		}
		lits = append(lits, r)
	}
	return lits
}

// packageReturns returns what the function of this package whose call v is
// (or is a result of) returns in v's place, on each of its returns; false
// when v is no such call.
func packageReturns(v ssa.Value) ([]ssa.Value, bool) {
	index := 0
	if ex, ok := v.(*ssa.Extract); ok {
		v, index = ex.Tuple, ex.Index
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil, false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Blocks == nil || callee.Pkg != call.Parent().Pkg {
		return nil, false
	}
	var out []ssa.Value
	for _, b := range callee.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || index >= len(ret.Results) {
			continue
		}
		out = append(out, ret.Results[index])
	}
	return out, true
}

func (a *analysis_) report(fn *ssa.Function, b lifetime.Birth, why string, bounded, lost bool) {
	pos := b.Instr.Pos()
	if p, ok := a.lits[pos]; ok {
		pos = p
	}
	d := analysis.Diagnostic{Pos: pos, Message: message(b, why, bounded, lost)}
	if lit := a.literalOf(b); lit != nil && !bounded {
		// 90 s is http.DefaultTransport's idle timeout.
		if fix, ok := fixes.AddDurationField(a.pass, lit, "IdleConnTimeout", 90); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	a.r.Report(d)
}

// literalOf returns the composite literal a transport born in this function
// was written as, if any.
func (a *analysis_) literalOf(b lifetime.Birth) *ast.CompositeLit {
	alloc, ok := b.Value.(*ssa.Alloc)
	if !ok || b.Via != "" {
		return nil
	}
	var lit *ast.CompositeLit
	if f := ssair.FileOf(a.pass, alloc.Pos()); f != nil {
		ast.Inspect(f, func(n ast.Node) bool {
			if cl, ok := n.(*ast.CompositeLit); ok && cl.Lbrace == alloc.Pos() {
				lit = cl
			}
			return lit == nil
		})
	}
	return lit
}

func message(b lifetime.Birth, why string, bounded, lost bool) string {
	kind := "http.Transport"
	if t := b.Value; t != nil && lifetime.TransportOf(t.Type(), true) == lifetime.HTTP2Transport {
		kind = "http2.Transport"
	}
	if b.Via != "" {
		return fmt.Sprintf("%s builds a new transport (%s) that it never reuses or releases, and it is called here %s: every call leaves pooled connections, each with its reader and writer goroutines, open until the peer closes them; build the transport once and reuse it", b.Origin, b.Via, why)
	}
	what := "a new " + kind
	if _, lit := b.Value.(*ssa.Alloc); !lit {
		what = fmt.Sprintf("the new transport from %s", b.Origin)
	}
	fate := "is neither reused nor released with CloseIdleConnections"
	if lost {
		fate = "is never reused nor released with CloseIdleConnections"
	}
	cost := "with no IdleConnTimeout, every call leaves a pooled connection and its reader and writer goroutines open forever"
	fix := "build the transport once and reuse it, or clone http.DefaultTransport (90s idle timeout) and close its idle connections when done"
	if bounded {
		cost = "every call opens new connections that no later call reuses, each idle with its reader and writer goroutines until IdleConnTimeout"
		fix = "build the transport once and reuse it, or CloseIdleConnections when done"
	}
	return fmt.Sprintf("%s is built %s and %s: %s; %s", what, why, fate, cost, fix)
}

func callPos(c *ssa.Call) token.Pos {
	if p := c.Pos(); p.IsValid() {
		return p
	}
	return c.Common().Pos()
}

// returnedUnreleasable reports whether the transport's only fate is to be
// returned, as an http.RoundTripper, by a function that is only a value
// (a callback): its callers are code we cannot see, and the interface gives
// them no way to close idle connections.
func returnedUnreleasable(fn *ssa.Function, f lifetime.Fate) bool {
	if len(f.Disposals) == 0 || !reqscope.OnlyAValue(fn) {
		return false
	}
	for _, d := range f.Disposals {
		if d.How != lifetime.Returned || d.Held {
			return false
		}
	}
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if t := res.At(i).Type(); types.IsInterface(t) && types.NewMethodSet(t).Lookup(nil, "CloseIdleConnections") == nil &&
			types.NewMethodSet(t).Lookup(nil, "RoundTrip") != nil {
			return true
		}
	}
	return false
}

// returnsTransportType reports whether fn's results include a transport, a
// round tripper or an *http.Client: a factory of transports rather than a
// builder of something that merely uses one.
func returnsTransportType(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		if lifetime.TransportOf(t, true) != lifetime.NotTransport || lifetime.IsHTTPClient(t) ||
			types.NewMethodSet(t).Lookup(nil, "RoundTrip") != nil {
			return true
		}
	}
	return false
}

// resultsHoldTransport reports whether one of fn's results can hold a
// transport: a transport, a round tripper or an *http.Client, or a struct
// (or pointer to one) with such a field a few levels down.
func resultsHoldTransport(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if holdsTransport(res.At(i).Type(), 0) {
			return true
		}
	}
	return false
}

func holdsTransport(t types.Type, depth int) bool {
	if lifetime.TransportOf(t, true) != lifetime.NotTransport || lifetime.IsHTTPClient(t) ||
		types.NewMethodSet(t).Lookup(nil, "RoundTrip") != nil {
		return true
	}
	if depth > 3 {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range st.Fields() {
		if holdsTransport(f.Type(), depth+1) {
			return true
		}
	}
	return false
}
