package idletransport

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/fixes"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Analyzer is the idletransport check.
var Analyzer = &analysis.Analyzer{
	Name:      "idletransport",
	Doc:       checkdoc.Extract(doc, "idletransport"),
	URL:       checkdoc.URL("idletransport"),
	Requires:  []*analysis.Analyzer{ssair.Analyzer, report.Analyzer},
	FactTypes: []analysis.Fact{new(returnsTransport), new(leaksTransport)},
	Run:       run,
}

// returnsTransport marks a function that returns a new transport (or a value
// holding one: a client, a round tripper wrapping it) whose idle connections
// are never bounded: its caller owns it.
type returnsTransport struct {
	Kind string // "http.Transport" or "http2.Transport"
	At   string // where it is built, as file:line
}

func (*returnsTransport) AFact() {}
func (f *returnsTransport) String() string {
	return fmt.Sprintf("returnsTransport(%s at %s)", f.Kind, f.At)
}

// leaksTransport marks a function that, on every call, builds a transport
// with unbounded idle connections and drops it.
type leaksTransport struct {
	Kind string
	At   string
}

func (*leaksTransport) AFact() {}
func (f *leaksTransport) String() string {
	return fmt.Sprintf("leaksTransport(%s at %s)", f.Kind, f.At)
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	if !mayMatter(pass) {
		return nil, nil
	}
	a := &analysis_{pass: pass, r: r, state: map[*ssa.Function]int{}, lits: litPositions(pass)}
	for _, fn := range ssair.Of(pass).SrcFuncs() {
		a.summarize(fn)
	}
	return nil, nil
}

// mayMatter is the cheap prefilter: the package names the type
// http.Transport or http2.Transport (only a composite literal or new can
// make one), or it uses a function of another package known to build
// transports. Importing net/http is not enough: nearly every package of a
// web server does, and most never build a transport.
func mayMatter(pass *analysis.Pass) bool {
	withFacts := len(pass.AllObjectFacts()) > 0
	for _, obj := range pass.TypesInfo.Uses {
		switch obj := obj.(type) {
		case *types.TypeName:
			if obj.Name() == "Transport" && obj.Pkg() != nil {
				switch obj.Pkg().Path() {
				case "net/http", "golang.org/x/net/http2":
					return true
				}
			}
		case *types.Func:
			if withFacts && obj.Pkg() != pass.Pkg &&
				(pass.ImportObjectFact(obj, new(returnsTransport)) || pass.ImportObjectFact(obj, new(leaksTransport))) {
				return true
			}
		}
	}
	return false
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
	pass  *analysis.Pass
	r     *report.Reporter
	state map[*ssa.Function]int // 1 in progress, 2 done
	lits  map[token.Pos]token.Pos
}

// A birth is a value that is a new transport: a composite literal or new(T),
// or the result of a call to a function that returns one.
type birth struct {
	v      ssa.Value
	pos    token.Pos
	kind   string
	via    string // the called function, for births at call sites
	at     string // where the callee builds it
	leaked bool   // a call to a function that drops its own transport
}

// outcome is what becomes of a birth within its function.
type outcome struct {
	fine     bool   // bounded, released or kept for reuse
	returned bool   // handed to the caller through a result
	escapes  bool   // passed to a call that may keep it
	why      string // what made it fine, for debugging
}

func (a *analysis_) summarize(fn *ssa.Function) {
	if a.state[fn] != 0 {
		return
	}
	a.state[fn] = 1
	defer func() { a.state[fn] = 2 }()
	if fn.Blocks == nil {
		return
	}
	pass := a.pass
	inTest := report.InTestFile(pass, fn.Pos())

	var births []birth
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Alloc:
				if k := reqscope.TransportOf(instr.Type(), true); k != reqscope.NotTransport {
					pos := instr.Pos()
					if p, ok := a.lits[pos]; ok {
						pos = p
					}
					births = append(births, birth{v: instr, pos: pos, kind: k.String()})
				}
			case *ssa.Call:
				callee := instr.Common().StaticCallee()
				if callee == nil || callee.Object() == nil {
					continue
				}
				obj, ok := callee.Object().(*types.Func)
				if !ok {
					continue
				}
				if callee.Pkg == fn.Pkg && callee.Pkg != nil {
					if orig := callee.Origin(); orig != nil {
						callee = orig
					}
					a.summarize(callee)
				}
				var rf returnsTransport
				var lf leaksTransport
				if pass.ImportObjectFact(obj.Origin(), &rf) {
					births = append(births, birth{v: instr, pos: callPos(instr), kind: rf.Kind, via: obj.Name(), at: rf.At})
				} else if pass.ImportObjectFact(obj.Origin(), &lf) {
					births = append(births, birth{v: instr, pos: callPos(instr), kind: lf.Kind, via: obj.Name(), at: lf.At, leaked: true})
				}
			}
		}
	}
	if len(births) == 0 {
		return
	}
	scope := reqscope.Of(fn)
	var fnObj *types.Func
	if fn.Parent() == nil {
		fnObj, _ = fn.Object().(*types.Func)
	}
	for _, bt := range births {
		var o outcome
		if !bt.leaked {
			o = a.follow(fn, bt.v)
		}
		if o.fine {
			continue
		}
		at := bt.at
		if at == "" {
			p := pass.Fset.Position(bt.pos)
			at = fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
		}
		if o.returned && (returnsTransportType(fn) || scope.Kind != reqscope.Repeated) {
			// A factory: the caller owns the transport. Only a result that can
			// hold it (a transport, a client, a round tripper, or a struct with
			// one in its fields) carries it on; a value merely computed with it,
			// such as a certificate obtained through a client, does not.
			if fnObj != nil && resultsHoldTransport(fn) {
				pass.ExportObjectFact(fnObj, &returnsTransport{Kind: bt.kind, At: at})
			}
			continue
		}
		perCall := scope.Kind == reqscope.Repeated
		why := scope.Why
		if !perCall && scope.Kind != reqscope.Once && !o.escapes && reqscope.InLoop(bt.v.(ssa.Instruction)) {
			perCall = true
			why = "on every iteration of a loop"
		}
		if !perCall || inTest {
			if scope.Kind == reqscope.Unknown && !o.escapes && !o.returned && fnObj != nil {
				pass.ExportObjectFact(fnObj, &leaksTransport{Kind: bt.kind, At: at})
			}
			continue
		}
		d := analysis.Diagnostic{Pos: bt.pos, Message: message(bt, why)}
		if lit := a.literalOf(bt); lit != nil {
			// 90 s is http.DefaultTransport's idle timeout.
			if fix, ok := fixes.AddDurationField(pass, lit, "IdleConnTimeout", 90); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		a.r.Report(d)
	}
}

// literalOf returns the composite literal a transport born in this function
// was written as, if any.
func (a *analysis_) literalOf(bt birth) *ast.CompositeLit {
	alloc, ok := bt.v.(*ssa.Alloc)
	if !ok || bt.via != "" {
		return nil
	}
	var lit *ast.CompositeLit
	for _, f := range a.pass.Files {
		if f.FileStart > alloc.Pos() || alloc.Pos() >= f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if cl, ok := n.(*ast.CompositeLit); ok && cl.Lbrace == alloc.Pos() {
				lit = cl
			}
			return lit == nil
		})
	}
	return lit
}

func message(bt birth, why string) string {
	what := "a new " + bt.kind
	switch {
	case bt.via != "" && bt.leaked:
		what = fmt.Sprintf("%s builds a new %s (at %s) that it never bounds or releases, and it", bt.via, bt.kind, bt.at)
		return fmt.Sprintf("%s is called here %s: every call leaves idle connections, each with its reader and writer goroutines, that no idle timeout ever closes; build the transport once and reuse it, or give it an IdleConnTimeout", what, why)
	case bt.via != "":
		what = fmt.Sprintf("the new %s returned by %s (built at %s)", bt.kind, bt.via, bt.at)
	}
	fix := "clone http.DefaultTransport (90s idle timeout), set IdleConnTimeout, or build the transport once and reuse it"
	if bt.kind == "http2.Transport" {
		fix = "set IdleConnTimeout, or build the transport once and reuse it"
	}
	return fmt.Sprintf("%s is built %s with no IdleConnTimeout and is neither reused nor released with CloseIdleConnections: every call leaves a pooled connection and its reader and writer goroutines open forever; %s", what, why, fix)
}

func callPos(c *ssa.Call) token.Pos {
	if p := c.Pos(); p.IsValid() {
		return p
	}
	return c.Common().Pos()
}

// returnsTransportType reports whether fn's results include a transport, a
// round tripper or an *http.Client: a factory of transports rather than a
// builder of something that merely uses one.
func returnsTransportType(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		if reqscope.TransportOf(t, true) != reqscope.NotTransport || reqscope.IsHTTPClient(t) ||
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
	if reqscope.TransportOf(t, true) != reqscope.NotTransport || reqscope.IsHTTPClient(t) ||
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

// follow tracks the values that carry the transport born as v in fn (its
// aliases and the values that hold it: clients, configs, closures, wrappers)
// and decides what becomes of it.
func (a *analysis_) follow(fn *ssa.Function, v ssa.Value) outcome {
	var o outcome
	seen := map[ssa.Value]bool{}
	work := []ssa.Value{v}
	add := func(x ssa.Value) {
		if x != nil && !seen[x] {
			seen[x] = true
			work = append(work, x)
		}
	}
	seen[v] = true
	for len(work) > 0 && !o.fine {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			switch ref := ref.(type) {
			case *ssa.Store:
				if ref.Val == x {
					if root, long := rootOf(ref.Addr); long {
						o.fine, o.why = true, "stored in a long-lived place"
					} else if root != nil {
						add(root)
					}
				} else if ref.Addr == x {
					if reqscope.TransportOf(x.Type(), true) != reqscope.NotTransport {
						// *t = *other: initialised from another transport.
						o.fine, o.why = true, "copied from another transport"
					}
				}
			case *ssa.FieldAddr:
				if ref.X != x {
					continue
				}
				if k := reqscope.TransportOf(x.Type(), true); k != reqscope.NotTransport {
					name := fieldName(x.Type(), ref.Field)
					if fieldBounded(k, name, ref) {
						o.fine, o.why = true, "idle connections bounded"
					}
					continue
				}
				// A field of a holder: what is loaded from it may be the transport.
				for _, fr := range *ref.Referrers() {
					if u, ok := fr.(*ssa.UnOp); ok && u.Op == token.MUL {
						add(u)
					}
				}
			case *ssa.UnOp:
				if ref.Op == token.MUL {
					add(ref) // a load from a variable holding the transport
				}
			case *ssa.ChangeType, *ssa.MakeInterface, *ssa.Convert, *ssa.ChangeInterface,
				*ssa.TypeAssert, *ssa.Phi, *ssa.Extract, *ssa.Slice, *ssa.IndexAddr, *ssa.Index:
				add(ref.(ssa.Value))
			case *ssa.MapUpdate, *ssa.Send:
				o.fine, o.why = true, "kept in a map or handed over a channel"
			case *ssa.MakeClosure:
				add(ref)
				for i, b := range ref.Bindings {
					if b == x {
						add(ref.Fn.(*ssa.Function).FreeVars[i])
					}
				}
			case *ssa.Return:
				if ref.Parent() == fn {
					o.returned = true
				}
			case ssa.CallInstruction:
				a.call(fn, x, ref, &o, add)
			}
		}
	}
	return o
}

// call handles a call that uses x, a value carrying the transport.
func (a *analysis_) call(fn *ssa.Function, x ssa.Value, call ssa.CallInstruction, o *outcome, add func(ssa.Value)) {
	com := call.Common()
	recv := com.IsInvoke() && com.Value == x || !com.IsInvoke() && len(com.Args) > 0 && com.Args[0] == x && com.Signature().Recv() != nil
	name := ""
	if com.IsInvoke() {
		name = com.Method.Name()
	} else if callee := com.StaticCallee(); callee != nil {
		name = callee.Name()
		if callee.Signature.Recv() != nil && len(com.Args) > 0 && com.Args[0] == x {
			recv = true
		}
	}
	if recv {
		if name == "CloseIdleConnections" {
			o.fine, o.why = true, "released"
		}
		return
	}
	if !com.IsInvoke() && com.Value == x {
		return // calling the closure that holds it
	}
	// x is an argument.
	if callee := com.StaticCallee(); callee != nil && callee.Pkg != nil {
		if obj, ok := callee.Object().(*types.Func); ok && cachingCall(obj) {
			o.fine, o.why = true, "cached"
			return
		}
	}
	if com.IsInvoke() || com.StaticCallee() != nil && com.StaticCallee().Signature.Recv() != nil {
		switch name {
		case "Store", "LoadOrStore", "Swap", "CompareAndSwap", "Add", "Set", "Put", "SetDefault":
			// Kept in a cache or a registry owned by someone else.
			if !isFresh(recvOf(com)) {
				o.fine, o.why = true, "cached"
				return
			}
		}
	}
	o.escapes = true
	if v := call.Value(); v != nil {
		add(v) // a wrapper or a handler built on it holds it
	}
}

func recvOf(com *ssa.CallCommon) ssa.Value {
	if com.IsInvoke() {
		return com.Value
	}
	if len(com.Args) > 0 {
		return com.Args[0]
	}
	return nil
}

// isFresh reports whether v is a value built in this function (a local
// composite literal or a call result), as opposed to something long-lived.
func isFresh(v ssa.Value) bool {
	root, long := rootOf(v)
	return !long && root != nil
}

func cachingCall(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "sync", "sync/atomic":
		switch fn.Name() {
		case "Store", "LoadOrStore", "Swap", "CompareAndSwap":
			return true
		}
	}
	return false
}

// rootOf walks an address or value back through field, index and load
// operations to what it belongs to. long reports a long-lived owner: a
// global, a parameter (the receiver included), a free variable, or anything
// loaded from one. Otherwise root is the fresh local value that holds it.
func rootOf(v ssa.Value) (root ssa.Value, long bool) {
	for i := 0; i < 32; i++ {
		switch x := v.(type) {
		case *ssa.Global, *ssa.Parameter, *ssa.FreeVar:
			return x, true
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.Index:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return x, false
			}
			if _, isAlloc := x.X.(*ssa.Alloc); isAlloc {
				return x.X, false
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Alloc, *ssa.Call, *ssa.MakeMap, *ssa.MakeSlice:
			return x, false
		default:
			return v, false
		}
	}
	return nil, false
}

func fieldName(t types.Type, i int) string {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return ""
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return ""
	}
	return st.Field(i).Name()
}

// fieldBounded reports whether a store through fa sets an idle bound.
func fieldBounded(k reqscope.Transport, name string, fa *ssa.FieldAddr) bool {
	for _, r := range *fa.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == fa && reqscope.BoundsIdle(k, name, st.Val) {
			return true
		}
	}
	return false
}
