package lifetime

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// How is the way one use of a resource disposes of it: after such a use the
// function that created the resource is no longer the one to release it.
type How int

const (
	Closed    How = iota + 1 // its release method is called (or deferred)
	Returned                 // returned to the caller
	Stored                   // stored in a field, global, map, slice or channel
	Passed                   // handed to a callee that takes it (or may: an unknown callee)
	Captured                 // captured by a function literal that releases, keeps or hands it on
	Finalized                // given to runtime.SetFinalizer or runtime.AddCleanup
)

func (h How) String() string {
	switch h {
	case Closed:
		return "closed"
	case Returned:
		return "returned"
	case Stored:
		return "stored"
	case Passed:
		return "passed to an owner"
	case Captured:
		return "captured"
	case Finalized:
		return "given a finalizer"
	}
	return "?"
}

// A Disposal is one instruction that disposes of a resource.
type Disposal struct {
	Instr ssa.Instruction
	How   How
}

// Disposals returns the instructions of v's function (and of function
// literals it creates) that dispose of the value v or of an alias of it
// (conversions, phis, the variable it is stored in). A use inside a function
// literal is attributed to the instruction that creates the literal.
func (r *Result) Disposals(v ssa.Value) []Disposal {
	w := &walker{res: r, seen: map[ssa.Value]bool{}}
	w.value(v)
	return w.out
}

// Aliases returns v and the values that denote the same object within its
// function: conversions, phis, loads of the variable it is stored in.
func Aliases(v ssa.Value) map[ssa.Value]bool {
	w := &walker{seen: map[ssa.Value]bool{}, aliasesOnly: true}
	w.value(v)
	return w.seen
}

type walker struct {
	res         *Result
	seen        map[ssa.Value]bool
	out         []Disposal
	depth       int
	aliasesOnly bool
}

func (w *walker) add(instr ssa.Instruction, how How) {
	if !w.aliasesOnly {
		w.out = append(w.out, Disposal{instr, how})
	}
}

func (w *walker) value(v ssa.Value) {
	if v == nil || w.seen[v] {
		return
	}
	w.seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, instr := range *refs {
		switch instr := instr.(type) {
		case *ssa.MakeInterface:
			w.value(instr)
		case *ssa.ChangeType:
			w.value(instr)
		case *ssa.ChangeInterface:
			w.value(instr)
		case *ssa.TypeAssert:
			if !instr.CommaOk {
				w.value(instr)
			} else {
				for _, ex := range extracts(instr, 0) {
					w.value(ex)
				}
			}
		case *ssa.Phi:
			w.value(instr)
		case *ssa.Return:
			w.add(instr, Returned)
		case *ssa.Store:
			if instr.Val != v {
				continue
			}
			if cell, ok := instr.Addr.(*ssa.Alloc); ok {
				w.cell(cell)
			} else {
				w.add(instr, Stored)
			}
		case *ssa.MapUpdate:
			if instr.Value == v || instr.Key == v {
				w.add(instr, Stored)
			}
		case *ssa.Send:
			if instr.X == v {
				w.add(instr, Stored)
			}
		case *ssa.MakeClosure:
			w.closure(instr, v)
		case *ssa.FieldAddr:
			// A method promoted from an embedded field (net.UDPConn's Close
			// is net.conn's): the call's receiver is the field's address,
			// or what is loaded from it when the field is a pointer.
			if instr.X == v && embeddedField(instr) {
				w.value(instr)
			}
		case *ssa.UnOp:
			if fa, ok := v.(*ssa.FieldAddr); ok && instr.Op == token.MUL && embeddedField(fa) {
				w.value(instr)
			}
		case ssa.CallInstruction:
			if !w.aliasesOnly {
				w.call(instr, v)
			}
		}
	}
}

func embeddedField(fa *ssa.FieldAddr) bool {
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	return ok && fa.Field < st.NumFields() && st.Field(fa.Field).Embedded()
}

// cell follows a local variable that v is stored in: an Alloc in the
// function that made v, or the FreeVar through which a function literal
// captured that Alloc.
func (w *walker) cell(cell ssa.Value) {
	if w.seen[cell] {
		return
	}
	w.seen[cell] = true
	for _, instr := range *cell.Referrers() {
		switch instr := instr.(type) {
		case *ssa.UnOp:
			if instr.Op == token.MUL {
				w.value(instr)
			}
		case *ssa.Store:
			// Another assignment to the variable.
		case *ssa.MakeClosure:
			w.closure(instr, cell)
		case *ssa.DebugRef:
		default:
			// &v escapes: whoever gets the address may release it.
			w.add(instr, Stored)
		}
	}
}

// closure handles a function literal capturing v (a value or its cell).
func (w *walker) closure(mc *ssa.MakeClosure, v ssa.Value) {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return
	}
	if w.aliasesOnly {
		return
	}
	for i, b := range mc.Bindings {
		if b != v || i >= len(fn.FreeVars) {
			continue
		}
		if fn.Synthetic != "" {
			// A method value v.M: it keeps v alive, but calling it does
			// not release v unless M is the release method.
			if obj, ok := fn.Object().(*types.Func); ok && releaseNames[obj.Name()] {
				w.add(mc, Captured)
			}
			continue
		}
		if w.depth > 4 {
			w.add(mc, Captured)
			return
		}
		inner := &walker{res: w.res, seen: map[ssa.Value]bool{}, depth: w.depth + 1}
		fv := fn.FreeVars[i]
		if _, isCell := v.(*ssa.Alloc); isCell {
			inner.cell(fv)
		} else {
			inner.value(fv)
		}
		if len(inner.out) > 0 {
			w.add(mc, Captured)
			return
		}
	}
	// The literal itself may carry v away.
	if closureEscapes(mc) {
		for _, b := range mc.Bindings {
			if b == v {
				w.add(mc, Captured)
				return
			}
		}
	}
}

// closureEscapes reports whether a function literal is used other than by
// being called (or deferred) where it is made.
func closureEscapes(mc *ssa.MakeClosure) bool {
	for _, instr := range *mc.Referrers() {
		switch instr := instr.(type) {
		case *ssa.Call:
			if instr.Call.Value == mc && !argUses(instr.Common(), mc) {
				continue
			}
		case *ssa.Defer:
			if instr.Call.Value == mc && !argUses(instr.Common(), mc) {
				continue
			}
		case *ssa.DebugRef:
			continue
		}
		return true
	}
	return false
}

func argUses(c *ssa.CallCommon, v ssa.Value) bool {
	for _, a := range c.Args {
		if a == v {
			return true
		}
	}
	return false
}

func (w *walker) call(instr ssa.CallInstruction, v ssa.Value) {
	c := instr.Common()
	if c.IsInvoke() {
		if c.Value == v {
			if delegateNames[c.Method.Name()] {
				w.add(instr, Closed)
			}
			// Other methods use the object; they do not take it.
		}
		if argUses(c, v) {
			w.add(instr, Passed)
		}
		return
	}
	if _, ok := instr.(*ssa.Go); ok {
		if c.Value == v || argUses(c, v) {
			w.add(instr, Passed)
		}
		return
	}
	if _, ok := c.Value.(*ssa.Builtin); ok {
		return
	}
	callee := c.StaticCallee()
	if callee == nil {
		if argUses(c, v) {
			w.add(instr, Passed)
		}
		return
	}
	obj := funcObject(callee)
	if obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "runtime" && (obj.Name() == "SetFinalizer" || obj.Name() == "AddCleanup") {
		if argUses(c, v) {
			w.add(instr, Finalized)
		}
		return
	}
	isMethod := callee.Signature.Recv() != nil
	for i, a := range c.Args {
		if a != v {
			continue
		}
		if i == 0 && isMethod && obj != nil && delegateNames[obj.Name()] {
			w.add(instr, Closed)
			continue
		}
		sum, known := w.res.SummaryOf(callee)
		switch {
		case known && sum.TakesParam(i):
			w.add(instr, Passed)
		case known:
		case i == 0 && isMethod:
			// A method of the object itself, without a summary: using
			// an object is not taking it.
		default:
			w.add(instr, Passed)
		}
	}
}

func extracts(tuple ssa.Value, index int) []*ssa.Extract {
	var out []*ssa.Extract
	if refs := tuple.Referrers(); refs != nil {
		for _, instr := range *refs {
			if ex, ok := instr.(*ssa.Extract); ok && ex.Index == index {
				out = append(out, ex)
			}
		}
	}
	return out
}

// funcObject returns the declared function or method of an SSA function, for
// generic instances their origin.
func funcObject(fn *ssa.Function) *types.Func {
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if !declared(fn) {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// declared reports whether fn is a declared function or method (from source
// or from export data), not a wrapper, thunk or initializer.
func declared(fn *ssa.Function) bool {
	return fn.Synthetic == "" || strings.HasPrefix(fn.Synthetic, "loaded from") || fn.Synthetic == "from type information"
}

// FuncObject returns the declared function of an SSA function (for generic
// instances, their origin), or nil for synthetic functions and literals.
func FuncObject(fn *ssa.Function) *types.Func { return funcObject(fn) }

// ---- Summaries ----

type summarizer struct {
	res  *Result
	memo map[*ssa.Function]*Summary
}

// SummaryOf returns the summary of a function, computed for the package
// under analysis or imported from its facts; known is false when nothing is
// known about it.
func (r *Result) SummaryOf(fn *ssa.Function) (sum Summary, known bool) {
	if fn == nil {
		return Summary{}, false
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if !declared(fn) {
		return Summary{}, false
	}
	if fn.Pkg != nil && fn.Pkg.Pkg == r.pass.Pkg {
		if fn.Blocks == nil {
			return Summary{}, false
		}
		return *r.sum.of(fn), true
	}
	obj := funcObject(fn)
	if obj == nil {
		return Summary{}, false
	}
	var s Summary
	if r.pass.ImportObjectFact(obj, &s) {
		return s, true
	}
	return Summary{}, false
}

// Fresh reports whether v is a new resource that the function holding it
// owns: the result of a call whose callee creates it, for example.
func (r *Result) Fresh(v ssa.Value) bool { return r.freshDepth(v, 0) }

func (r *Result) freshDepth(v ssa.Value, depth int) bool {
	var call *ssa.Call
	index := 0
	switch v := v.(type) {
	case *ssa.Call:
		call = v
	case *ssa.Extract:
		call, _ = v.Tuple.(*ssa.Call)
		index = v.Index
	case *ssa.MakeInterface:
		return r.freshDepth(v.X, depth)
	case *ssa.ChangeType:
		return r.freshDepth(v.X, depth)
	case *ssa.ChangeInterface:
		return r.freshDepth(v.X, depth)
	case *ssa.Alloc:
		_, ok := r.IsResource(v.Type())
		return ok && v.Heap && !registered(v)
	}
	if call == nil {
		return false
	}
	sum, known := r.SummaryOf(call.Call.StaticCallee())
	if !known {
		return false
	}
	if sum.FreshResult(index) {
		return true
	}
	// A view of a resource is new when the resource it wraps is: a
	// connection type built around a socket made just before.
	if depth < 4 && r.carrier(v.Type()) {
		for j, arg := range call.Call.Args {
			if j < 64 && sum.Wraps&(1<<j) != 0 && r.freshDepth(arg, depth+1) {
				return true
			}
		}
	}
	return false
}

func (s *summarizer) exportAll(funcs []*ssa.Function) {
	for _, fn := range funcs {
		if fn.Parent() != nil || fn.Synthetic != "" || fn.Blocks == nil {
			continue
		}
		obj, ok := fn.Object().(*types.Func)
		if !ok || !s.res.eligibleSig(obj.Signature()) {
			continue
		}
		sum := *s.of(fn)
		s.res.pass.ExportObjectFact(obj, &sum)
	}
}

// needsSummaries reports whether the package declares functions that take
// or return resources.
func (r *Result) needsSummaries() bool {
	for _, obj := range r.pass.TypesInfo.Defs {
		if fn, ok := obj.(*types.Func); ok && r.eligibleSig(fn.Signature()) {
			return true
		}
	}
	return false
}

func (r *Result) eligibleSig(sig *types.Signature) bool {
	if recv := sig.Recv(); recv != nil && r.carrier(recv.Type()) {
		return true
	}
	for v := range sig.Params().Variables() {
		if r.carrier(v.Type()) {
			return true
		}
	}
	for v := range sig.Results().Variables() {
		if r.carrier(v.Type()) {
			return true
		}
	}
	return false
}

// mayHold reports whether a parameter of type t can receive a resource:
// resources, and interfaces other than context.Context and error.
func (r *Result) mayHold(t types.Type) bool {
	if r.carrier(t) {
		return true
	}
	if _, ok := t.Underlying().(*types.Interface); !ok {
		return false
	}
	return !isNamed(t, "context", "Context") && !types.Identical(t, types.Universe.Lookup("error").Type())
}

// carrier reports whether a value of type t may be a resource: a resource
// type, or an interface with a release method.
func (r *Result) carrier(t types.Type) bool {
	if _, ok := r.IsResource(t); ok {
		return true
	}
	if iface, ok := t.Underlying().(*types.Interface); ok {
		for m := range iface.Methods() {
			if releaseNames[m.Name()] {
				return true
			}
		}
	}
	return false
}

func (s *summarizer) of(fn *ssa.Function) *Summary {
	if sum, ok := s.memo[fn]; ok {
		return sum
	}
	// While fn is being summarised (recursion), assume the worst for
	// callers: it takes everything and creates nothing.
	s.memo[fn] = &Summary{Takes: ^uint64(0)}
	sum := &Summary{}
	for i, p := range fn.Params {
		if i >= 64 {
			break
		}
		if !s.res.mayHold(p.Type()) {
			continue
		}
		if len(s.res.Disposals(p)) > 0 {
			sum.Takes |= 1 << i
		}
	}
	// A function that takes a resource of its caller's (a connection it
	// wraps to peek at or to frame messages on) returns a view of that
	// resource, not a new one: closing the view would close the caller's
	// connection, so losing the view loses nothing.
	for i, p := range fn.Params {
		if i < 64 && sum.Takes&(1<<i) != 0 && s.res.carrier(p.Type()) {
			sum.Wraps |= 1 << i
		}
	}
	results := fn.Signature.Results()
	for i := 0; i < results.Len() && i < 64 && sum.Wraps == 0; i++ {
		if !s.res.carrier(results.At(i).Type()) {
			continue
		}
		fresh, any := true, false
		for _, b := range fn.Blocks {
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok || i >= len(ret.Results) {
				continue
			}
			f, isNil := s.fresh(ret.Results[i], map[ssa.Value]bool{})
			if isNil {
				continue
			}
			if !f {
				fresh = false
				break
			}
			any = true
		}
		if fresh && any {
			sum.Fresh |= 1 << i
		}
	}
	s.memo[fn] = sum
	return sum
}

// fresh reports whether v is a new resource (or nil, isNil).
func (s *summarizer) fresh(v ssa.Value, seen map[ssa.Value]bool) (ok, isNil bool) {
	if seen[v] {
		return false, true
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return false, v.IsNil()
	case *ssa.MakeInterface:
		return s.fresh(v.X, seen)
	case *ssa.ChangeType:
		return s.fresh(v.X, seen)
	case *ssa.ChangeInterface:
		return s.fresh(v.X, seen)
	case *ssa.Phi:
		any := false
		for _, e := range v.Edges {
			f, isNil := s.fresh(e, seen)
			if isNil {
				continue
			}
			if !f {
				return false, false
			}
			any = true
		}
		return any, !any
	case *ssa.Alloc:
		if !v.Heap {
			return false, false
		}
		if _, ok := s.res.IsResource(v.Type()); !ok {
			return false, false
		}
		return !registered(v), false
	case *ssa.Call, *ssa.Extract:
		return s.res.Fresh(v), false
	}
	return false, false
}

// registered reports whether a new object is also stored somewhere other
// than in a result: then something else may own it.
func registered(v ssa.Value) bool {
	for _, instr := range *v.Referrers() {
		switch instr := instr.(type) {
		case *ssa.Store:
			if instr.Val == v {
				return true
			}
		case *ssa.MapUpdate:
			if instr.Value == v || instr.Key == v {
				return true
			}
		case *ssa.Send:
			return true
		case *ssa.MakeInterface:
			if registered(instr) {
				return true
			}
		}
	}
	return false
}
