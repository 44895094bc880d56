package poolcleanup

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/internal/names"
	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 2

// Analyzer reports pooled values that own a resource nothing releases when
// the pool drops them.
var Analyzer = &analysis.Analyzer{
	Name:     "poolcleanup",
	Doc:      checkdoc.Extract(doc, "poolcleanup"),
	URL:      checkdoc.URL("poolcleanup"),
	Run:      run,
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer, lifetime.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	if !usesPool(pass) {
		return nil, nil
	}
	c := &checker{
		pass:      pass,
		r:         r,
		res:       lifetime.Of(pass),
		ir:        ssair.Of(pass),
		putFields: map[*types.Var]bool{},
		newFuncs:  map[*ssa.Function]bool{},
		cleaned:   map[*ssa.Function]*bool{},
		owns:      map[*types.Var]*bool{},
		visiting:  map[ssa.Value]bool{},
		cleared:   map[*types.Var]bool{},
		zeroed:    map[string]bool{},
		reported:  map[token.Pos]bool{},
	}
	c.scan()
	c.releasedPuts()
	for _, miss := range []bool{false, true} {
		for _, fn := range c.ir.SrcFuncs() {
			c.checkFunc(fn, miss)
		}
	}
	return nil, nil
}

// usesPool is the cheap prefilter: the package must name sync.Pool's Put or
// New.
func usesPool(pass *analysis.Pass) bool {
	for _, obj := range pass.TypesInfo.Uses {
		switch obj := obj.(type) {
		case *types.Func:
			if obj.Name() == "Put" && isPoolMethod(obj) {
				return true
			}
		case *types.Var:
			if obj.IsField() && obj.Name() == "New" && obj.Pkg() != nil && obj.Pkg().Path() == "sync" {
				return true
			}
		}
	}
	return false
}

func isPoolMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && typeis.NamedOrPointer(recv.Type(), "sync", "Pool")
}

type checker struct {
	pass *analysis.Pass
	r    *report.Reporter
	res  *lifetime.Result
	ir   *ssair.IR

	putFields map[*types.Var]bool     // fields holding a pool's Put method value
	newFuncs  map[*ssa.Function]bool  // functions assigned to a pool's New
	cleaned   map[*ssa.Function]*bool // function returns only values with a cleanup (or from the pool)
	cleared   map[*types.Var]bool     // fields that the package resets to nil
	zeroed    map[string]bool         // struct types (by name) whose values the package resets whole to their zero value
	reported  map[token.Pos]bool
	calls     map[token.Pos]*ast.CallExpr // by Lparen
	stores    map[*types.Var][]*ssa.Store // stores into each field, built on first use
	owns      map[*types.Var]*bool        // fieldOwns, memoised
	visiting  map[ssa.Value]bool          // madeHere's values on the current walk
	allocs    map[types.Type][]*ssa.Alloc // heap allocations of each type, built on first use
	self      map[ssa.Value]bool          // origins found for a parameter the sink puts: the value itself

	putsReleased *typeutil.Map // type put in a pool -> every Put of it comes after a release
}

// scan finds the Put method values stored in fields, the New functions and
// the fields the package clears.
func (c *checker) scan() {
	for _, fn := range c.ir.SrcFuncs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					if t := c.zeroStore(st, 0); t != nil && !isFinalizerFunc(fn) {
						c.zeroed[t.String()] = true
					}
					continue
				}
				field := fieldOf(fa)
				if field == nil {
					continue
				}
				if k, ok := st.Val.(*ssa.Const); ok && k.IsNil() && !isFinalizerFunc(fn) {
					c.cleared[field] = true
				}
				if p, ok := st.Val.(*ssa.Parameter); ok && !isFinalizerFunc(fn) && passedNil(c.ir.SrcFuncs(), fn, p) {
					// A setter called with nil (st.reset(nil)) clears
					// the field it stores its parameter in.
					c.cleared[field] = true
				}
				if isPutValue(st.Val) {
					c.putFields[field] = true
				}
				if field.Name() == "New" && field.Pkg() != nil && field.Pkg().Path() == "sync" {
					switch v := st.Val.(type) {
					case *ssa.Function:
						c.newFuncs[v] = true
					case *ssa.MakeClosure:
						if f, ok := v.Fn.(*ssa.Function); ok {
							c.newFuncs[f] = true
						}
					}
				}
			}
		}
	}
}

// isFinalizerFunc reports whether fn is a function literal given to
// runtime.SetFinalizer or runtime.AddCleanup: what it clears happens after
// the pool dropped the value, not before it is put back.
func isFinalizerFunc(fn *ssa.Function) bool {
	parent := fn.Parent()
	if parent == nil {
		return false
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !isFinalizerCall(call.Common()) {
				continue
			}
			for _, a := range call.Call.Args {
				if mi, ok := a.(*ssa.MakeInterface); ok {
					a = mi.X
				}
				if mc, ok := a.(*ssa.MakeClosure); ok {
					a = mc.Fn
				}
				if a == fn {
					return true
				}
			}
		}
	}
	return false
}

func isFinalizerCall(cc *ssa.CallCommon) bool {
	obj := lifetime.FuncObject(cc.StaticCallee())
	return obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "runtime" && (obj.Name() == "SetFinalizer" || obj.Name() == "AddCleanup")
}

func fieldOf(fa *ssa.FieldAddr) *types.Var { return ssair.FieldOf(fa) }

// isPutValue reports whether v is the method value pool.Put.
func isPutValue(v ssa.Value) bool {
	mc, ok := v.(*ssa.MakeClosure)
	if !ok {
		return false
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Name() == "Put" && isPoolMethod(obj)
}

// A sink is where a value enters a pool.
type sink struct {
	instr ssa.Instruction // the Put call, the merge with Get's result, or New's return
	val   ssa.Value       // the value that enters
	how   string
}

func (c *checker) sinks(fn *ssa.Function) []sink {
	var out []sink
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case ssa.CallInstruction:
				cc := instr.Common()
				if cc.IsInvoke() || len(cc.Args) == 0 {
					continue
				}
				if isPutValue(cc.Value) {
					out = append(out, sink{instr, cc.Args[0], "is put in a sync.Pool (through its Put method value)"})
					continue
				}
				if callee := cc.StaticCallee(); callee != nil {
					if obj := lifetime.FuncObject(callee); obj != nil && obj.Name() == "Put" && isPoolMethod(obj) && len(cc.Args) == 2 {
						out = append(out, sink{instr, cc.Args[1], "is put in a sync.Pool"})
					}
					continue
				}
				if load, ok := cc.Value.(*ssa.UnOp); ok && load.Op == token.MUL {
					if fa, ok := load.X.(*ssa.FieldAddr); ok {
						if f := fieldOf(fa); f != nil && c.putFields[f] {
							out = append(out, sink{instr, cc.Args[0], fmt.Sprintf("is put in a sync.Pool (through the Put method value in field %s)", f.Name())})
						}
					}
				}
			case *ssa.Phi:
				// get-or-create: v := pool.Get(); if v == nil { v = create() }
				fromGet := false
				for _, e := range instr.Edges {
					if isGet(e) {
						fromGet = true
					}
				}
				if fromGet {
					for _, e := range instr.Edges {
						if !isGet(e) {
							out = append(out, sink{instr, e, "takes the place of a value from the sync.Pool's Get"})
						}
					}
				}
			case *ssa.Return:
				if c.newFuncs[fn] {
					for _, v := range instr.Results {
						out = append(out, sink{instr, v, "is created by the sync.Pool's New function"})
					}
				}
			}
		}
	}
	return out
}

// missReturns finds get-or-create written with two returns: a function
// that returns a value from a pool's Get on one path and a value it makes
// on another (loki's GetReader) hands out the made one in the pooled one's
// place, to be put back with it.
func missReturns(fn *ssa.Function) []sink {
	var rets []*ssa.Return
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, ret)
		}
	}
	var out []sink
	for i := 0; i < fn.Signature.Results().Len(); i++ {
		fromGet := false
		for _, ret := range rets {
			if i < len(ret.Results) && isGet(ssair.Unconvert(ret.Results[i])) {
				fromGet = true
			}
		}
		if !fromGet {
			continue
		}
		for _, ret := range rets {
			if i < len(ret.Results) && !isGet(ssair.Unconvert(ret.Results[i])) {
				out = append(out, sink{ret, ret.Results[i], "is returned in place of a value from the sync.Pool's Get"})
			}
		}
	}
	return out
}

func isGet(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.TypeAssert:
			v = x.X
			continue
		case *ssa.Extract:
			v = x.Tuple
			continue
		case *ssa.Call:
			if callee := x.Call.StaticCallee(); callee != nil {
				obj := lifetime.FuncObject(callee)
				return obj != nil && obj.Name() == "Get" && isPoolMethod(obj)
			}
		}
		return false
	}
}

// origins returns the values v is made of, looking through conversions and
// phis.
func (c *checker) origins(v ssa.Value, seen map[ssa.Value]bool, out *[]ssa.Value) {
	if v == nil || seen[v] {
		return
	}
	seen[v] = true
	switch x := v.(type) {
	case *ssa.MakeInterface:
		c.origins(x.X, seen, out)
	case *ssa.ChangeType:
		c.origins(x.X, seen, out)
	case *ssa.ChangeInterface:
		c.origins(x.X, seen, out)
	case *ssa.TypeAssert:
		if isGet(x) {
			return
		}
		c.origins(x.X, seen, out)
	case *ssa.Extract:
		if ta, ok := x.Tuple.(*ssa.TypeAssert); ok {
			c.origins(ta.X, seen, out)
			return
		}
		*out = append(*out, v)
	case *ssa.Phi:
		for _, e := range x.Edges {
			c.origins(e, seen, out)
		}
	case *ssa.UnOp:
		// A load of a local variable captured by a function literal:
		// the values assigned to it.
		if cell, ok := x.X.(*ssa.Alloc); ok && x.Op == token.MUL {
			for _, instr := range *cell.Referrers() {
				if st, ok := instr.(*ssa.Store); ok && st.Addr == cell {
					c.origins(st.Val, seen, out)
				}
			}
			return
		}
		// A field of a wrapper (Put(r.dec)): the values the package
		// stores into that field.
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			if f := fieldOf(fa); f != nil && f.Pkg() == c.pass.Pkg {
				found := false
				for _, st := range c.fieldStores(f) {
					if k, ok := st.Val.(*ssa.Const); ok && k.IsNil() {
						continue
					}
					found = true
					var vals []ssa.Value
					c.origins(st.Val, seen, &vals)
					for _, o := range vals {
						// A helper of this package that creates the value
						// is checked where it creates it.
						if !c.localCall(o) {
							*out = append(*out, o)
						}
					}
				}
				if found {
					return
				}
			}
		}
		*out = append(*out, v)
	case *ssa.Parameter:
		// A method that puts its receiver back (z.pool.Put(z) in Read):
		// the values are whatever this package makes of that type.
		allocs := c.allocsOf(x.Type())
		for _, a := range allocs {
			if c.self == nil {
				c.self = map[ssa.Value]bool{}
			}
			c.self[a] = true
			*out = append(*out, a)
		}
		if len(allocs) == 0 {
			*out = append(*out, v)
		}
	default:
		*out = append(*out, v)
	}
}

// allocsOf returns the heap allocations in the package of t, a pointer to a
// struct type the package declares.
func (c *checker) allocsOf(t types.Type) []*ssa.Alloc {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() != c.pass.Pkg {
		return nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil
	}
	if c.allocs == nil {
		c.allocs = map[types.Type][]*ssa.Alloc{}
		for _, fn := range c.ir.SrcFuncs() {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if a, ok := instr.(*ssa.Alloc); ok && a.Heap {
						c.allocs[a.Type()] = append(c.allocs[a.Type()], a)
					}
				}
			}
		}
	}
	for at, list := range c.allocs {
		if types.Identical(at, t) {
			return list
		}
	}
	return nil
}

// localCall reports whether v is the result of a call of a function of this
// package.
func (c *checker) localCall(v ssa.Value) bool {
	if ex, ok := v.(*ssa.Extract); ok {
		v = ex.Tuple
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	callee := call.Call.StaticCallee()
	return callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg
}

// fieldStores returns the stores into field f in the package.
func (c *checker) fieldStores(f *types.Var) []*ssa.Store {
	if c.stores == nil {
		c.stores = map[*types.Var][]*ssa.Store{}
		for _, fn := range c.ir.SrcFuncs() {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if st, ok := instr.(*ssa.Store); ok {
						if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
							if ff := fieldOf(fa); ff != nil {
								c.stores[ff] = append(c.stores[ff], st)
							}
						}
					}
				}
			}
		}
	}
	return c.stores[f]
}

// creation reports whether v creates a value here that nobody has given a
// cleanup yet.
func (c *checker) creation(v ssa.Value) bool {
	if isGet(v) {
		return false
	}
	switch x := v.(type) {
	case *ssa.Alloc:
		return x.Heap
	case *ssa.Call:
		return !c.calleeCleaned(x.Common())
	case *ssa.Extract:
		if call, ok := x.Tuple.(*ssa.Call); ok {
			return !c.calleeCleaned(call.Common())
		}
	}
	return false
}

// calleeCleaned reports whether a call's results are known to carry a
// cleanup already (or to come from the pool).
func (c *checker) calleeCleaned(cc *ssa.CallCommon) bool {
	callee := cc.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg || callee.Blocks == nil {
		// Another package, an interface or a function value: the
		// resource is created there; only its type says it owns one.
		return false
	}
	if p, ok := c.cleaned[callee]; ok {
		return *p
	}
	v := false
	c.cleaned[callee] = &v // recursion: not cleaned
	ok := true
	for _, b := range callee.Blocks {
		ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !isRet {
			continue
		}
		for _, res := range ret.Results {
			var orig []ssa.Value
			c.origins(res, map[ssa.Value]bool{}, &orig)
			for _, o := range orig {
				if k, isConst := o.(*ssa.Const); isConst && k.IsNil() {
					continue
				}
				if _, owns := c.ownedResource(o.Type()); !owns {
					continue
				}
				if !c.creation(o) {
					continue
				}
				if leak, _ := c.uncleanPath(o, ret); leak {
					ok = false
				}
			}
		}
	}
	v = ok
	return v
}

// ownedResource reports whether a value of type t owns a resource: it is
// one, or holds one in a field (not one the package resets to nil).
func (c *checker) ownedResource(t types.Type) (string, bool) {
	return c.owned(t, "", 0)
}

func (c *checker) owned(t types.Type, path string, depth int) (string, bool) {
	if t == nil || depth > 2 {
		return "", false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, isStruct := t.Underlying().(*types.Struct)
	if isStruct && c.zeroed[t.String()] {
		// The package resets such values whole (*r = zero, after
		// closing what they held): what is pooled holds nothing.
		return "", false
	}
	if !isStruct || !c.promotedFromCleared(t, st) {
		// (A shell whose release method is promoted from an embedded
		// field the package clears before pooling it is judged by its
		// fields.)
		if _, ok := c.res.IsResource(t); ok {
			return path, true
		}
		if _, ok := c.res.IsResource(types.NewPointer(t)); ok && !isInterface(t) {
			return path, true
		}
	}
	if !isStruct {
		return "", false
	}
	for f := range st.Fields() {
		if c.cleared[f] || !c.fieldOwns(f) {
			continue
		}
		ft := f.Type()
		switch ft.Underlying().(type) {
		case *types.Pointer, *types.Struct, *types.Interface, *types.Named:
		default:
			if _, ok := types.Unalias(ft).(*types.Named); !ok {
				continue
			}
		}
		if p, ok := c.owned(ft, path+"."+f.Name(), depth+1); ok {
			return p, true
		}
	}
	return "", false
}

// promotedFromCleared reports whether the release method of the struct
// type t is promoted from an embedded field that the package clears, or
// fills only with values lent to it.
func (c *checker) promotedFromCleared(t types.Type, st *types.Struct) bool {
	m, ok := c.res.IsResource(types.NewPointer(t))
	if !ok || m == nil {
		if m, ok = c.res.IsResource(t); !ok || m == nil {
			return false
		}
	}
	for f := range st.Fields() {
		if !f.Embedded() || !c.cleared[f] && c.fieldOwns(f) {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(f.Type(), true, m.Pkg(), m.Name())
		if fm, ok := obj.(*types.Func); ok && fm.Origin() == m.Origin() {
			return true
		}
	}
	return false
}

// fieldOwns reports whether the field f of a pooled type can own what it
// holds: the package stores into it something other than nil and the
// values lent to it (the writer and request a server hands a handler, a
// parameter every caller in the package fills with such a value). A field
// the package never stores into is judged by its type.
func (c *checker) fieldOwns(f *types.Var) bool {
	if f.Pkg() != c.pass.Pkg {
		return true
	}
	if p, ok := c.owns[f]; ok {
		return *p
	}
	v := true
	c.owns[f] = &v // recursion (a field holding its own type): it may own
	stores := c.fieldStores(f)
	if len(stores) == 0 {
		return true
	}
	v = false
	for _, st := range stores {
		if c.madeHere(st.Val, f, 0) {
			v = true
			break
		}
	}
	return v
}

// madeHere reports whether v may be a resource the storing code owns: not
// nil, not a parameter lent for a request or connection, nor one that every
// caller in the package fills with such values.
func (c *checker) madeHere(v ssa.Value, pooledField *types.Var, depth int) bool {
	v = ssair.Unconvert(v)
	if c.visiting[v] {
		return false // a cycle through phis or fields: judged by its other values
	}
	c.visiting[v] = true
	defer delete(c.visiting, v)
	if isGet(v) {
		// Another pool's item: judged as that pool's.
		return false
	}
	switch x := v.(type) {
	case *ssa.Const:
		return false
	case *ssa.FieldAddr:
		// A pointer into another value (a chain's own base writer):
		// what it holds is that value's fields, released or lent
		// with it.
		return false
	case *ssa.UnOp:
		// A field of a value lent to the code (the writer a chain it
		// was handed holds) is lent as that value is.
		if x.Op == token.MUL {
			switch a := x.X.(type) {
			case *ssa.FieldAddr:
				return c.madeHere(a.X, pooledField, depth)
			case *ssa.Alloc:
				// A captured variable: its one value.
				if cv := lifetime.CellValue(a); cv != nil {
					return c.madeHere(cv, pooledField, depth)
				}
			case *ssa.FreeVar:
				// The same variable, read in the closure that captured it.
				if cell, ok := goflow.Binding(a).(*ssa.Alloc); ok {
					if cv := lifetime.CellValue(cell); cv != nil {
						return c.madeHere(cv, pooledField, depth)
					}
				}
			}
		}
	case *ssa.Field:
		return c.madeHere(x.X, pooledField, depth)
	case *ssa.Call, *ssa.Extract:
		// What a call returns is made there only if the callee makes
		// it: a getter (t.Conn(), an interface's accessor with no
		// arguments) lends what its object owns.
		if call := callOf(v); call != nil && lendsResult(c.res, call, v) {
			return false
		}
	case *ssa.Phi:
		for _, e := range x.Edges {
			if c.madeHere(e, pooledField, depth) {
				return true
			}
		}
		return false
	case *ssa.Parameter:
		fn := x.Parent()
		if depth > 4 || fn.Parent() != nil {
			return true
		}
		i := -1
		for j, p := range fn.Params {
			if p == x {
				i = j
			}
		}
		sites := 0
		calls, _ := reqscope.Callers(fn)
		for _, call := range calls {
			if call.Common().StaticCallee() != fn || i >= len(call.Common().Args) {
				continue // an interface call: its arguments omit the receiver
			}
			sites++
			if c.madeHere(call.Common().Args[i], pooledField, depth+1) {
				return true
			}
		}
		if sites > 0 {
			return false
		}
		// No caller in the package: an argument lent by the caller
		// (a handler's), unless the function takes it over, by its
		// summary (it releases it or hands it to an owner that does).
		if lentParam(fn) {
			return false
		}
		// Taken over only where the function itself releases it, or
		// stores or hands it to an owner other than its own objects:
		// keeping it in the receiver's fields, directly or through a
		// callee (a chain rebinding its own base writer), is holding
		// what the caller lent.
		for _, d := range c.res.Disposals(x) {
			switch d.How {
			case lifetime.Closed, lifetime.Finalized:
				if !d.Held {
					return true
				}
			}
		}
		return false
	}
	// Made here or by a callee: the pooled value may own it, if what
	// is made can own anything (a wrapper of a concrete type is judged
	// by its fields).
	if t := v.Type(); !isInterface(t) && depth <= 4 {
		if _, ok := c.owned(t, "", depth+1); !ok {
			return false
		}
	}
	return true
}

func callOf(v ssa.Value) *ssa.Call {
	switch x := v.(type) {
	case *ssa.Call:
		return x
	case *ssa.Extract:
		call, _ := x.Tuple.(*ssa.Call)
		return call
	}
	return nil
}

// zeroStore returns the struct type of a store that resets a whole value to
// its zero value (*r = T{}, or *r = zero with zero a package-level variable
// assigned nothing but a zero value), or nil.
func (c *checker) zeroStore(st *ssa.Store, depth int) types.Type {
	pt, ok := st.Addr.Type().Underlying().(*types.Pointer)
	if !ok || depth > 1 {
		return nil
	}
	if _, ok := pt.Elem().Underlying().(*types.Struct); !ok {
		return nil
	}
	switch v := st.Val.(type) {
	case *ssa.Const:
		if v.IsNil() || v.Value == nil {
			return pt.Elem()
		}
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return nil
		}
		switch src := v.X.(type) {
		case *ssa.Global:
			// (A global has no referrers in SSA: its stores are
			// found by a scan of the package.)
			for _, fn := range c.ir.SrcFuncs() {
				for _, b := range fn.Blocks {
					for _, instr := range b.Instrs {
						if gs, ok := instr.(*ssa.Store); ok && gs.Addr == src && c.zeroStore(gs, depth+1) == nil {
							return nil
						}
					}
				}
			}
			return pt.Elem()
		case *ssa.Alloc:
			// An empty composite literal: nothing stored into it.
			for _, ref := range *src.Referrers() {
				if ref != v {
					if _, ok := ref.(*ssa.DebugRef); !ok {
						return nil
					}
				}
			}
			return pt.Elem()
		}
	}
	return nil
}

// lendsResult reports whether the result v of call is a value the callee
// lends rather than makes: a getter, a method that takes nothing and is
// not named as a constructor (Conn, Reader, Body), of an interface or, if
// its summary says the result is no new resource, of a concrete type.
func lendsResult(res *lifetime.Result, call *ssa.Call, v ssa.Value) bool {
	var m *types.Func
	if call.Call.IsInvoke() {
		m = call.Call.Method
	} else if callee := call.Call.StaticCallee(); callee != nil && callee.Signature.Recv() != nil {
		if _, known := res.SummaryOf(callee); !known || res.Fresh(v) || res.GoroutineBacked(v) {
			return false
		}
		m, _ = callee.Object().(*types.Func)
	}
	if m == nil || m.Type().(*types.Signature).Params().Len() > 0 {
		return false
	}
	for _, p := range []string{"New", "Open", "Dial", "Create", "Accept", "Make", "Build", "Get", "Acquire", "Clone", "Start"} {
		if strings.HasPrefix(m.Name(), p) {
			return false
		}
	}
	return true
}

// lentParam reports whether the parameters of fn are lent to it for one
// request or connection: fn is an HTTP handler, a round tripper or takes a
// connection (reqscope says it runs per request or connection by its own
// signature).
func lentParam(fn *ssa.Function) bool {
	return reqscope.Own(fn).Kind == reqscope.Repeated
}

// passedNil reports whether some call of fn in the package passes nil for
// its parameter p.
func passedNil(funcs []*ssa.Function, fn *ssa.Function, p *ssa.Parameter) bool {
	i := -1
	for j, q := range fn.Params {
		if q == p {
			i = j
		}
	}
	if i < 0 || fn.Parent() != nil {
		return false
	}
	for _, g := range funcs {
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok || call.Common().StaticCallee() != fn || i >= len(call.Common().Args) {
					continue
				}
				if k, ok := ssair.Unconvert(call.Common().Args[i]).(*ssa.Const); ok && k.IsNil() {
					return true
				}
			}
		}
	}
	return false
}

func isInterface(t types.Type) bool {
	_, ok := t.Underlying().(*types.Interface)
	return ok
}

// uncleanPath reports whether control can go from the creation of v to the
// sink without a finalizer or cleanup being attached to v. bad is a
// finalizer that is attached but can never run.
func (c *checker) uncleanPath(v ssa.Value, to ssa.Instruction) (leak bool, bad string) {
	aliases := lifetime.Aliases(v)
	cleanup := map[ssa.Instruction]bool{}
	for a := range aliases {
		refs := a.Referrers()
		if refs == nil {
			continue
		}
		for _, instr := range *refs {
			call, ok := instr.(*ssa.Call)
			if !ok || len(call.Call.Args) < 2 || !aliases[call.Call.Args[0]] {
				continue
			}
			if !isFinalizerCall(call.Common()) {
				continue
			}
			if k, ok := call.Call.Args[1].(*ssa.Const); ok && k.IsNil() {
				continue
			}
			if why := c.neverRuns(call, aliases); why != "" {
				bad = why
				continue
			}
			cleanup[call] = true
		}
	}
	start := defInstr(v)
	if start == nil {
		return false, ""
	}
	if start.Parent() != to.Parent() {
		// Kept in a wrapper's field here and put in the pool elsewhere:
		// only a cleanup attached here can cover it, to the value or to
		// the field it is kept in (runtime.SetFinalizer(w.dec, ...)).
		return len(cleanup) == 0 && !attachesCleanup(start.Parent(), aliases), bad
	}
	return reaches(start, to, cleanup), bad
}

// attachesCleanup reports whether fn attaches a finalizer or cleanup to the
// value (one of aliases) or to a field fn stores it in, read back
// (runtime.SetFinalizer(w.dec, ...)). One attached to the wrapper that
// holds the value covers nothing once the value is in the pool: the wrapper
// is dropped, the pooled value lives on.
func attachesCleanup(fn *ssa.Function, aliases map[ssa.Value]bool) bool {
	fields := map[*types.Var]bool{}
	for a := range aliases {
		if refs := a.Referrers(); refs != nil {
			for _, instr := range *refs {
				if st, ok := instr.(*ssa.Store); ok && st.Val == a {
					if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
						fields[fieldOf(fa)] = true
					}
				}
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !isFinalizerCall(call.Common()) || len(call.Call.Args) == 0 {
				continue
			}
			arg := call.Call.Args[0]
			if mi, ok := arg.(*ssa.MakeInterface); ok {
				arg = mi.X
			}
			if aliases[arg] {
				return true
			}
			if ld, ok := arg.(*ssa.UnOp); ok && ld.Op == token.MUL {
				if fa, ok := ld.X.(*ssa.FieldAddr); ok && fields[fieldOf(fa)] && fieldOf(fa) != nil {
					return true
				}
			}
		}
	}
	return false
}

// neverRuns explains why a finalizer attached to the object can never run:
// its function captures the object, or a goroutine holds the object.
func (c *checker) neverRuns(call *ssa.Call, aliases map[ssa.Value]bool) string {
	fnv := call.Call.Args[1]
	if mi, ok := fnv.(*ssa.MakeInterface); ok {
		fnv = mi.X
	}
	if mc, ok := fnv.(*ssa.MakeClosure); ok {
		for _, b := range mc.Bindings {
			if aliases[b] || aliasCell(b, aliases) {
				return fmt.Sprintf("the %s function at line %d captures the object itself, so the object stays reachable and the function never runs", funcName(call), c.line(call.Pos()))
			}
		}
	}
	if len(call.Call.Args) > 2 && aliases[call.Call.Args[2]] {
		return fmt.Sprintf("the cleanup at line %d gets the object itself as its argument, so the object stays reachable and the cleanup never runs", c.line(call.Pos()))
	}
	// A goroutine that holds the object (a method value of it, or the
	// object as an argument) keeps it reachable while it runs.
	fn := call.Parent()
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok {
				continue
			}
			cc := g.Common()
			held := aliases[cc.Value]
			for _, a := range cc.Args {
				held = held || aliases[a] || boundTo(a, aliases)
			}
			held = held || boundTo(cc.Value, aliases)
			if held {
				return fmt.Sprintf("the goroutine started at line %d holds the object, so it stays reachable while the goroutine runs and the %s never runs; stop the goroutine through the resource instead", c.line(g.Pos()), funcName(call))
			}
		}
	}
	// The object's own constructor started a goroutine on it (a zstd
	// decoder of klauspost/compress before v1.14): that goroutine keeps it
	// reachable until it is released, which is what the finalizer was for.
	pinned, maker := false, "its constructor"
	for a := range aliases {
		if c.res.Pinned(a) {
			pinned = true
			if m := describeMaker(a); m != "" {
				maker = m
			}
		}
	}
	if pinned {
		return fmt.Sprintf("the goroutine that %s starts holds the object, so it stays reachable while the goroutine runs and the %s never runs; release the value before it is dropped, or wrap it and attach the %s to the wrapper", maker, funcName(call), funcName(call))
	}
	return ""
}

// describeMaker names the call that made v.
func describeMaker(v ssa.Value) string {
	if ex, ok := v.(*ssa.Extract); ok {
		v = ex.Tuple
	}
	if call, ok := v.(*ssa.Call); ok {
		if obj := lifetime.FuncObject(call.Call.StaticCallee()); obj != nil {
			return names.Func(obj)
		}
	}
	return ""
}

func funcName(call *ssa.Call) string {
	if obj := lifetime.FuncObject(call.Call.StaticCallee()); obj != nil && obj.Name() == "AddCleanup" {
		return "cleanup"
	}
	return "finalizer"
}

func boundTo(v ssa.Value, aliases map[ssa.Value]bool) bool {
	if mi, ok := v.(*ssa.MakeInterface); ok {
		v = mi.X
	}
	mc, ok := v.(*ssa.MakeClosure)
	if !ok {
		return false
	}
	for _, b := range mc.Bindings {
		if aliases[b] || aliasCell(b, aliases) {
			return true
		}
	}
	return false
}

// aliasCell reports whether b is a variable that holds one of aliases.
func aliasCell(b ssa.Value, aliases map[ssa.Value]bool) bool {
	alloc, ok := b.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, instr := range *alloc.Referrers() {
		if st, ok := instr.(*ssa.Store); ok && st.Addr == alloc && aliases[st.Val] {
			return true
		}
	}
	return false
}

func defInstr(v ssa.Value) ssa.Instruction {
	switch x := v.(type) {
	case *ssa.Extract:
		if instr, ok := x.Tuple.(ssa.Instruction); ok {
			return instr
		}
	case ssa.Instruction:
		return x
	}
	return nil
}

// reaches reports whether control can flow from just after from to the
// instruction to without passing an instruction in stop. A phi is reached
// when its block is entered.
func reaches(from, to ssa.Instruction, stop map[ssa.Instruction]bool) bool {
	scan := func(b *ssa.BasicBlock, i int) (found, blocked bool) {
		for ; i < len(b.Instrs); i++ {
			instr := b.Instrs[i]
			if instr == to {
				return true, false
			}
			if stop[instr] {
				return false, true
			}
		}
		return false, false
	}
	start := from.Block()
	idx := 0
	for i, instr := range start.Instrs {
		if instr == from {
			idx = i + 1
		}
	}
	if found, blocked := scan(start, idx); found || blocked {
		return found
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), start.Succs...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		found, blocked := scan(b, 0)
		if found {
			return true
		}
		if !blocked {
			stack = append(stack, b.Succs...)
		}
	}
	return false
}

func (c *checker) checkFunc(fn *ssa.Function, miss bool) {
	sinks := c.sinks(fn)
	if miss {
		// Second, so that a value also put back elsewhere is reported
		// with that Put.
		sinks = missReturns(fn)
	}
	for _, s := range sinks {
		var orig []ssa.Value
		c.origins(s.val, map[ssa.Value]bool{}, &orig)
		for _, o := range orig {
			if !c.creation(o) {
				continue
			}
			path, owns := c.ownedResource(o.Type())
			if !owns || c.putReleased(o.Type()) {
				continue
			}
			leak, bad := c.uncleanPath(o, s.instr)
			if !leak {
				continue
			}
			c.report(o, s, path, bad)
		}
	}
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func (c *checker) report(v ssa.Value, s sink, path, bad string) {
	created := "created here"
	pos := creationPos(v)
	if call := c.callAt(pos); call != nil {
		pos = call.Pos()
	}
	if def := defInstr(v); def != nil && def.Parent() != s.instr.Parent() && c.self[v] {
		// Made here and put back by a method of its own (the receiver):
		// the cleanup belongs where it is made.
		by := s.instr.Parent().Name()
		if obj := lifetime.FuncObject(s.instr.Parent()); obj != nil {
			by = names.Func(obj)
		}
		s.how += " by " + by
	} else if def != nil && def.Parent() != s.instr.Parent() && s.instr.Pos().IsValid() {
		// Made in one function and put in the pool from a wrapper's field
		// in another: the Put is where the value enters the pool, and
		// where a reviewer sees the pool; the message names the creation.
		pos = s.instr.Pos()
		created = fmt.Sprintf("created at line %d", c.line(creationPos(v)))
		s.how += " here, from a field of its wrapper"
	}
	if !pos.IsValid() || c.reported[pos] {
		return
	}
	c.reported[pos] = true
	qual := func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		return p.Name()
	}
	t := v.Type()
	what := "it"
	rt := t
	if path != "" {
		what = "its field " + strings.TrimPrefix(path, ".")
		rt = fieldType(t, path)
	}
	rname := types.TypeString(rt, qual)
	where := ""
	if l := c.line(s.instr.Pos()); s.instr.Pos().IsValid() && l != c.line(pos) {
		where = fmt.Sprintf(" at line %d", l)
	}
	msg := fmt.Sprintf("%s %s %s%s, but %s (%s) must be released and nothing releases it when the pool drops the value: a sync.Pool empties itself at every garbage collection, so each dropped %s leaks its %s",
		types.TypeString(t, qual), created, s.how, where, what, rname, types.TypeString(t, qual), rname)
	if bad != "" {
		msg += "; a finalizer is attached, but " + bad
	} else {
		msg += fmt.Sprintf("; attach runtime.AddCleanup to the %s, releasing %s, before it can reach the pool", types.TypeString(t, qual), what)
	}
	d := analysis.Diagnostic{Pos: pos, Message: msg}
	if bad == "" {
		if fix, ok := c.cleanupFix(pos, path, rt); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.r.Report(d)
}

func creationPos(v ssa.Value) token.Pos {
	if ex, ok := v.(*ssa.Extract); ok {
		return ex.Tuple.Pos()
	}
	return v.Pos()
}

// fieldType returns the type of the field path (".a.b") within t.
func fieldType(t types.Type, path string) types.Type {
	for _, name := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return t
		}
		for f := range st.Fields() {
			if f.Name() == name {
				t = f.Type()
				break
			}
		}
	}
	return t
}

// callAt returns the call expression whose left parenthesis is at lparen.
func (c *checker) callAt(lparen token.Pos) *ast.CallExpr {
	if c.calls == nil {
		c.calls = map[token.Pos]*ast.CallExpr{}
		for _, f := range c.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					c.calls[call.Lparen] = call
				}
				return true
			})
		}
	}
	return c.calls[lparen]
}
