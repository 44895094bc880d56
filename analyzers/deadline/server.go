package deadline

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"net"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/fixes"
	"github.com/proxylint/proxylint/passes/report"
)

// serverParams marks a function that serves, or sets timeouts of, the
// *http.Server values passed in the listed parameters.
type serverParams struct {
	Serves []int
	Sets   []paramFields
}

// paramFields lists the timeout fields a function assigns on parameter Param.
type paramFields struct {
	Param  int
	Fields []string
}

func (*serverParams) AFact() {}
func (f *serverParams) String() string {
	var parts []string
	if len(f.Serves) > 0 {
		parts = append(parts, fmt.Sprintf("serves%v", f.Serves))
	}
	for _, s := range f.Sets {
		parts = append(parts, fmt.Sprintf("sets(%d:%s)", s.Param, strings.Join(s.Fields, ",")))
	}
	return "serverParams(" + strings.Join(parts, " ") + ")"
}

var timeoutFields = []string{"ReadHeaderTimeout", "ReadTimeout", "IdleTimeout"}

var serveMethods = []string{"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"}

// isHTTPServer reports whether t is net/http.Server or a pointer to it.
func isHTTPServer(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return typeis.Named(t, "net/http", "Server")
}

// isServeMethod reports whether fn is (*http.Server).ListenAndServe and the like.
func isServeMethod(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "net/http" || !slices.Contains(serveMethods, fn.Name()) {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && isHTTPServer(recv.Type())
}

// isServeHelper reports whether fn is http.ListenAndServe and the like, which
// serve with a zero http.Server.
func isServeHelper(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "net/http" &&
		fn.Signature().Recv() == nil && slices.Contains(serveMethods, fn.Name())
}

// serverState is what the package does with one holder of a server: a
// variable, a field, or a composite literal used directly.
type serverState struct {
	servedAt token.Pos // first place it is served
	servedBy string
	sets     map[string]bool
	unknown  bool // handed to code that may configure it
}

type serverChecker struct {
	pass   *analysis.Pass
	r      *report.Reporter
	state  map[any]*serverState // types.Object or *ast.CompositeLit
	params map[*types.Var]paramRef
	facts  map[*types.Func]*serverParams
}

type paramRef struct {
	fn  *types.Func
	idx int
}

func (c *serverChecker) get(k any) *serverState {
	s := c.state[k]
	if s == nil {
		s = &serverState{sets: map[string]bool{}}
		c.state[k] = s
	}
	return s
}

// relevantServer is the fast path: the package must mention http.Server or
// the serve helpers.
func relevantServer(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if imp.Path() == "net/http" {
			return true
		}
	}
	return false
}

func runServer(pass *analysis.Pass, r *report.Reporter) {
	if !relevantServer(pass) {
		return
	}
	c := &serverChecker{
		pass:   pass,
		r:      r,
		state:  map[any]*serverState{},
		params: map[*types.Var]paramRef{},
		facts:  map[*types.Func]*serverParams{},
	}
	// The inspector is built here, for the packages that pass the
	// prefilter, and dropped when this scan ends: as a required
	// inspect.Analyzer result it was built for every package of the graph
	// and held until the package's last analyser had run.
	ins := inspector.New(pass.Files)

	// Parameters of server type, for facts.
	for n := range ins.PreorderSeq((*ast.FuncDecl)(nil)) {
		decl := n.(*ast.FuncDecl)
		fn, _ := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if fn == nil {
			continue
		}
		params := fn.Signature().Params()
		for i := range params.Len() {
			if p := params.At(i); isHTTPServer(p.Type()) {
				c.params[p] = paramRef{fn, i}
			}
		}
	}

	// Two rounds, so that a helper of this package that serves or
	// configures its parameter is known at its callers whatever the order.
	for round := 0; round < 2; round++ {
		c.state = map[any]*serverState{}
		c.scan(ins)
		c.exportFacts()
	}

	c.reportServeHelpers(ins)
	for cur := range ins.Root().Preorder((*ast.CompositeLit)(nil)) {
		lit := cur.Node().(*ast.CompositeLit)
		if report.InTestFile(pass, lit.Pos()) || !isHTTPServer(pass.TypesInfo.TypeOf(lit)) {
			continue
		}
		if _, ok := types.Unalias(pass.TypesInfo.TypeOf(lit)).(*types.Pointer); ok {
			continue
		}
		c.checkLiteral(cur)
	}
}

// holderOf returns what an expression denotes for server tracking: a
// variable, a field, or the composite literal itself.
func (c *serverChecker) holderOf(e ast.Expr) any {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				e = x.X
				continue
			}
		case *ast.StarExpr:
			e = x.X
			continue
		}
		break
	}
	switch x := e.(type) {
	case *ast.Ident:
		if v, ok := c.pass.TypesInfo.ObjectOf(x).(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if sel := c.pass.TypesInfo.Selections[x]; sel != nil && sel.Kind() == types.FieldVal {
			return sel.Obj()
		}
	case *ast.CompositeLit:
		return x
	}
	return nil
}

func (c *serverChecker) scan(ins *inspector.Inspector) {
	info := c.pass.TypesInfo
	for n := range ins.PreorderSeq((*ast.SelectorExpr)(nil), (*ast.AssignStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// srv.ListenAndServe(), or the method value go srv.Serve.
			sel := info.Selections[n]
			if sel == nil || sel.Kind() != types.MethodVal {
				continue
			}
			fn, _ := sel.Obj().(*types.Func)
			if fn != nil && fn.Name() == "SetKeepAlivesEnabled" && pkgPath(fn) == "net/http" {
				// Without keep-alives there are no idle connections.
				if h := c.holderOf(n.X); h != nil {
					c.get(h).sets["IdleTimeout"] = true
				}
				continue
			}
			if isServeMethod(fn) && len(sel.Index()) == 1 {
				if h := c.holderOf(n.X); h != nil {
					s := c.get(h)
					if !s.servedAt.IsValid() {
						s.servedAt, s.servedBy = n.Sel.Pos(), fn.Name()
					}
				}
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
				if !ok || !slices.Contains(timeoutFields, sel.Sel.Name) || !isHTTPServer(info.TypeOf(sel.X)) {
					continue
				}
				if h := c.holderOf(sel.X); h != nil {
					c.get(h).sets[sel.Sel.Name] = true
				}
			}
		case *ast.CallExpr:
			callee := typeutil.Callee(info, n)
			for i, arg := range n.Args {
				if !isHTTPServer(info.TypeOf(arg)) {
					continue
				}
				h := c.holderOf(arg)
				if h == nil {
					continue
				}
				s := c.get(h)
				fn, _ := callee.(*types.Func)
				if fn == nil || isInterfaceMethod(fn) {
					s.unknown = true // a function value or an interface: may configure it
					continue
				}
				var f serverParams
				if local, ok := c.facts[fn]; ok {
					f = *local
				} else if !c.pass.ImportObjectFact(fn, &f) {
					continue
				}
				if slices.Contains(f.Serves, i) && !s.servedAt.IsValid() {
					s.servedAt, s.servedBy = n.Lparen, fn.Name()
				}
				for _, pf := range f.Sets {
					if pf.Param == i {
						for _, name := range pf.Fields {
							s.sets[name] = true
						}
					}
				}
			}
		}
	}
}

func isInterfaceMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// exportFacts records, for the functions of the package, which server
// parameters they serve or configure.
func (c *serverChecker) exportFacts() {
	byFn := map[*types.Func]*serverParams{}
	for p, ref := range c.params {
		s := c.state[p]
		if s == nil {
			continue
		}
		f := byFn[ref.fn]
		if f == nil {
			f = &serverParams{}
			byFn[ref.fn] = f
		}
		if s.servedAt.IsValid() {
			f.Serves = append(f.Serves, ref.idx)
		}
		var fields []string
		for name := range s.sets {
			fields = append(fields, name)
		}
		if s.unknown {
			fields = timeoutFields
		}
		if len(fields) > 0 {
			sort.Strings(fields)
			f.Sets = append(f.Sets, paramFields{Param: ref.idx, Fields: fields})
		}
	}
	for fn, f := range byFn {
		if len(f.Serves) == 0 && len(f.Sets) == 0 {
			continue
		}
		sort.Ints(f.Serves)
		sort.Slice(f.Sets, func(i, j int) bool { return f.Sets[i].Param < f.Sets[j].Param })
		c.facts[fn] = f
		c.pass.ExportObjectFact(fn, f)
	}
}

// litHolder returns the variable or field a server literal is stored in.
func (c *serverChecker) litHolder(cur inspector.Cursor) types.Object {
	child := cur.Node()
	for p := cur.Parent(); p.Node() != nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ParenExpr:
		case *ast.UnaryExpr:
			if n.Op != token.AND {
				return nil
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return nil
			}
			for i, rhs := range n.Rhs {
				if rhs == child {
					h, _ := c.holderOf(n.Lhs[i]).(types.Object)
					return h
				}
			}
			return nil
		case *ast.ValueSpec:
			for i, v := range n.Values {
				if v == child && i < len(n.Names) {
					return c.pass.TypesInfo.Defs[n.Names[i]]
				}
			}
			return nil
		case *ast.KeyValueExpr:
			if n.Value != child {
				return nil
			}
			if id, ok := n.Key.(*ast.Ident); ok {
				if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && v.IsField() {
					return v
				}
			}
			return nil
		default:
			return nil
		}
		child = p.Node()
	}
	return nil
}

func (c *serverChecker) checkLiteral(cur inspector.Cursor) {
	lit := cur.Node().(*ast.CompositeLit)
	states := []*serverState{c.state[lit]}
	if h := c.litHolder(cur); h != nil {
		states = append(states, c.state[h])
	}
	var served *serverState
	set := map[string]bool{}
	for _, s := range states {
		if s == nil {
			continue
		}
		if s.unknown {
			return
		}
		if served == nil && s.servedAt.IsValid() {
			served = s
		}
		for k := range s.sets {
			set[k] = true
		}
	}
	if served == nil {
		return
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				set[id.Name] = true
			}
		}
	}
	where := fmt.Sprintf("served by %s at %s", served.servedBy, posString(c.pass.Fset, served.servedAt))
	if addr, ok := c.literalAddr(lit); ok && loopback(addr) {
		// True, but only local clients can hold it open.
		where += fmt.Sprintf(" (low severity: loopback only, on %q)", addr)
	}
	if !set["ReadHeaderTimeout"] && !set["ReadTimeout"] {
		d := analysis.Diagnostic{
			Pos: lit.Pos(),
			End: lit.End(),
			Message: fmt.Sprintf("http.Server %s has neither ReadHeaderTimeout nor ReadTimeout: "+
				"a client that sends its request headers slowly, or not at all, holds a connection and a goroutine forever; "+
				"set ReadHeaderTimeout", where),
		}
		if fix, ok := fixes.AddDurationField(c.pass, cur.Node().(*ast.CompositeLit), "ReadHeaderTimeout", 10); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		c.r.Report(d)
	}
	if !set["IdleTimeout"] && !set["ReadTimeout"] {
		c.r.Report(analysis.Diagnostic{
			Pos: lit.Pos(),
			End: lit.End(),
			Message: fmt.Sprintf("http.Server %s has neither IdleTimeout nor ReadTimeout: "+
				"idle keep-alive connections are kept open forever, each holding a goroutine and its buffers; "+
				"set IdleTimeout", where),
		})
	}
}

// reportServeHelpers reports http.ListenAndServe and the like.
func (c *serverChecker) reportServeHelpers(ins *inspector.Inspector) {
	for n := range ins.PreorderSeq((*ast.CallExpr)(nil)) {
		call := n.(*ast.CallExpr)
		fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
		if !isServeHelper(fn) || report.InTestFile(c.pass, call.Pos()) {
			continue
		}
		c.r.Report(analysis.Diagnostic{
			Pos: call.Pos(),
			End: call.End(),
			Message: fmt.Sprintf("http.%s serves with a zero http.Server, which has no ReadHeaderTimeout, ReadTimeout or IdleTimeout: "+
				"slow or idle clients hold connections and goroutines forever; "+
				"serve with &http.Server{..., ReadHeaderTimeout: ..., IdleTimeout: ...} instead", fn.Name()),
		})
	}
}

// literalAddr returns the Addr field of a server literal when it is a
// constant string.
func (c *serverChecker) literalAddr(lit *ast.CompositeLit) (string, bool) {
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if id, ok := kv.Key.(*ast.Ident); !ok || id.Name != "Addr" {
			continue
		}
		if tv, ok := c.pass.TypesInfo.Types[kv.Value]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return constant.StringVal(tv.Value), true
		}
	}
	return "", false
}

// loopback reports whether a listen address is on the loopback interface
// only (or a local socket path).
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return strings.HasPrefix(addr, "/") || strings.HasPrefix(addr, "@") // a unix socket
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
