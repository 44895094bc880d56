package lifetime

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/ssair"
)

// ---- Summaries ----

type summarizer struct {
	res  *Result
	memo map[*ssa.Function]*Summary
	// released memoises fieldReleased for the fields of this package's
	// types; a field being decided reads as not released.
	released map[*types.Var]bool
	loads    map[*types.Var][]ssa.Value    // the loads of each field in the package, built on first use
	reads    map[*types.Func]map[int]bool  // fieldsRead of each release method asked about
	forever  map[*ssa.Function][]*ssa.Call // the calls of each function that never return
	views    map[*ssa.Function]uint64      // the parameters each function returns a view of (paramView)
	// releasedBy memoises, for release methods, the receiver's fields
	// they release on every path (endsReceiver).
	releasedBy map[*ssa.Function]map[int]bool
}

// summaryOf is SummaryOf without the lock.
func (r *Result) summaryOf(fn *ssa.Function) (sum Summary, known bool) {
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
	if r.summarised(obj.Pkg()) {
		// The package was summarised and exported nothing for fn: it owns
		// nothing.
		return Summary{}, true
	}
	return Summary{}, false
}

// SummaryOfObject is SummaryOf for a function of another package, by its
// object: it needs no SSA (a prefilter's question).
func (r *Result) SummaryOfObject(obj *types.Func) (sum Summary, known bool) {
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == r.pass.Pkg {
		return Summary{}, false
	}
	obj = obj.Origin()
	if r.pass.ImportObjectFact(obj, &sum) {
		return sum, true
	}
	return Summary{}, r.summarised(obj.Pkg())
}

// Summarised is the package fact that a package's functions were
// summarised: a function without a Summary fact then owns nothing, so
// that empty facts need not be exported.
type Summarised struct{}

func (*Summarised) AFact()         {}
func (*Summarised) String() string { return "summarised" }

func (r *Result) summarised(p *types.Package) bool {
	if p == nil {
		return false
	}
	return r.pass.ImportPackageFact(p, new(Summarised))
}

// freshV is Fresh without the lock.
func (r *Result) freshV(v ssa.Value) bool { return r.freshDepth(v, 0) }

func (r *Result) freshDepth(v ssa.Value, depth int) bool {
	var call *ssa.Call
	index := 0
	switch v := v.(type) {
	case *ssa.Call:
		call = v
	case *ssa.Extract:
		call, _ = v.Tuple.(*ssa.Call)
		index = v.Index
	case *ssa.MakeInterface, *ssa.ChangeType, *ssa.ChangeInterface:
		return r.freshDepth(ssair.Unconvert(v), depth)
	case *ssa.Slice:
		// A slice literal: new if an element is.
		a, ok := v.X.(*ssa.Alloc)
		return ok && depth < 4 && storedInParts(a, func(x ssa.Value) bool { return r.freshDepth(x, depth+1) })
	case *ssa.Alloc:
		_, ok := r.IsResource(v.Type())
		return ok && v.Heap && !IsResponse(v.Type()) && !registered(v) && !viewOfOutside(r, v) && !r.foreignEmpty(v)
	}
	if call == nil {
		return false
	}
	sum, known := r.summaryOf(call.Call.StaticCallee())
	if !known {
		return r.acceptsNew(call, index)
	}
	if sum.FreshResult(index) {
		return true
	}
	// A view of a resource is new when the resource it wraps is: a
	// connection type built around a socket made just before, a holder
	// around the lists it is given.
	if _, isRes := r.IsResource(v.Type()); depth < 4 && (r.carrier(v.Type()) || isRes) {
		for j, arg := range call.Call.Args {
			if j < 64 && sum.Wraps&(1<<j) != 0 && r.freshDepth(arg, depth+1) {
				return true
			}
		}
	}
	return false
}

// acceptsNew reports whether result index of call is a connection that an
// interface's Accept returns (net.Listener's, or any listener interface's
// whose result is a resource interface): by the contract of a listener,
// each is new and the caller's to close.
func (r *Result) acceptsNew(call *ssa.Call, index int) bool {
	if !call.Call.IsInvoke() || call.Call.Method.Name() != "Accept" || index != 0 {
		return false
	}
	res := call.Call.Signature().Results()
	if res.Len() == 0 {
		return false
	}
	_, ok := resourceInterfaceMethod(res.At(0).Type())
	return ok
}

// foreignEmpty reports whether the new object a is a literal of another
// package's type (&net.TCPConn{}) given no new resource: code outside that
// package can set only its exported fields, so it holds no descriptor.
func (r *Result) foreignEmpty(a *ssa.Alloc) bool {
	pt, ok := types.Unalias(a.Type()).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(pt.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg() == r.pass.Pkg {
		return false
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return false
	}
	for _, ref := range *a.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
			if _, zero := st.Val.(*ssa.Const); zero {
				continue // x := T{}
			}
			return false // a copy of a value made elsewhere
		}
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, fr := range *fa.Referrers() {
			if st, ok := fr.(*ssa.Store); ok && st.Addr == fa && (r.carrier(st.Val.Type()) || r.freshV(st.Val) || r.goroutineBackedV(st.Val)) {
				return false
			}
		}
	}
	return true
}

// viewOfOutside reports whether the new object a keeps, in a field, a
// resource that came from outside its function (a parameter or a captured
// variable): &peekedConn{conn, r} is a view of the caller's connection,
// which its caller closes, not a new resource.
func viewOfOutside(r *Result, a *ssa.Alloc) bool {
	for _, ref := range *a.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, fr := range *fa.Referrers() {
			st, ok := fr.(*ssa.Store)
			if !ok || st.Addr != fa {
				continue
			}
			switch x := ssair.Unconvert(st.Val).(type) {
			case *ssa.Parameter, *ssa.FreeVar:
				if r.carrier(x.Type()) {
					return true
				}
			case *ssa.UnOp:
				// A variable of the enclosing function, captured in a
				// cell (the accepted conn a per-connection goroutine
				// closes with a defer).
				if _, captured := x.X.(*ssa.FreeVar); captured && x.Op == token.MUL && r.carrier(x.Type()) {
					return true
				}
			}
		}
	}
	return false
}

// goroutineBackedV is GoroutineBacked without the lock.
func (r *Result) goroutineBackedV(v ssa.Value) bool { return r.goroutineDepth(v, 0) }

func (r *Result) goroutineDepth(v ssa.Value, depth int) bool {
	if depth > 6 {
		return false
	}
	switch x := ssair.Unconvert(v).(type) {
	case *ssa.Call:
		sum, _ := r.summaryOf(x.Call.StaticCallee())
		return sum.GoroutineResult(0)
	case *ssa.Extract:
		call, ok := x.Tuple.(*ssa.Call)
		if !ok {
			return false
		}
		if isIOPipe(call) {
			return x.Index == 1 && pipeReaderToGoroutine(call)
		}
		sum, _ := r.summaryOf(call.Call.StaticCallee())
		return sum.GoroutineResult(x.Index)
	case *ssa.Alloc:
		if !x.Heap {
			return false
		}
		if src := cellSource(x); src != nil {
			// The cell of a variable a closure captures, holding a value
			// made elsewhere (l, err := NewListener(); go func() { use(l)
			// }()): the value is what was stored, not a new object, and
			// the goroutine is the caller's, not the value's own.
			return r.goroutineDepth(src, depth+1)
		}
		if startsGoroutineOn(x) {
			// A goroutine given its caller's context, on a value that has
			// no release method: cancelling that context is how it ends.
			_, releasable := r.IsResource(x.Type())
			return releasable || !ctxBound(x)
		}
		return holdsGoroutine(r, x, depth)
	}
	return false
}

// ctxBound reports whether every goroutine started on a is handed a context
// that comes from a parameter of a's function (as it is, or derived with
// context.WithCancel and its kin): the goroutine lives as long as the
// caller's context.
func ctxBound(a *ssa.Alloc) bool {
	fromParam := func(v ssa.Value) bool {
		v = ssair.Unconvert(v)
		if ex, ok := v.(*ssa.Extract); ok && ex.Index == 0 {
			if call, ok := ex.Tuple.(*ssa.Call); ok {
				if obj := funcObject(call.Call.StaticCallee()); obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "context" && len(call.Call.Args) > 0 {
					v = ssair.Unconvert(call.Call.Args[0])
				}
			}
		}
		if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
			// A parameter a closure also captures lives in a cell.
			if cell, ok := ld.X.(*ssa.Alloc); ok {
				if p := cellParam(cell); p != nil {
					v = p
				}
			}
		}
		p, ok := v.(*ssa.Parameter)
		return ok && p.Parent() == a.Parent()
	}
	isCtx := func(v ssa.Value) bool { return typeis.Named(v.Type(), "context", "Context") }
	starts := 0
	check := func(args []ssa.Value) bool {
		starts++
		for _, x := range args {
			if isCtx(x) && fromParam(x) {
				return true
			}
		}
		return false
	}
	for _, ref := range *a.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Go:
			if !check(ref.Call.Args) {
				return false
			}
		case *ssa.MakeClosure:
			for _, cref := range *ref.Referrers() {
				if g, ok := cref.(*ssa.Go); ok && g.Call.Value == ref {
					if !check(append(append([]ssa.Value(nil), g.Call.Args...), ref.Bindings...)) {
						return false
					}
				}
			}
		}
	}
	return starts > 0
}

func isIOPipe(call *ssa.Call) bool {
	obj := funcObject(call.Call.StaticCallee())
	return obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "io" && obj.Name() == "Pipe"
}

// pipeReaderToGoroutine reports whether the reader of the io.Pipe call is
// handed to a goroutine in its function: then the writer owns a goroutine
// that ends only when the writer is closed.
func pipeReaderToGoroutine(call *ssa.Call) bool {
	for _, ex := range extracts(call, 0) {
		if toGoroutine(ex, 0) {
			return true
		}
	}
	return false
}

// toGoroutine reports whether v (or something built on it in its function:
// a bufio.Reader, a scanner) is passed to, or captured by, a function
// started with a go statement.
func toGoroutine(v ssa.Value, depth int) bool {
	if depth > 4 || v.Referrers() == nil {
		return false
	}
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Go:
			return true
		case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
			if toGoroutine(ref.(ssa.Value), depth+1) {
				return true
			}
		case *ssa.MakeClosure:
			for _, cref := range *ref.Referrers() {
				if _, ok := cref.(*ssa.Go); ok {
					return true
				}
			}
		case *ssa.UnOp:
			if ref.Op == token.MUL && toGoroutine(ref, depth+1) {
				return true
			}
		case *ssa.Store:
			if alloc, ok := ref.Addr.(*ssa.Alloc); ok && ref.Val == v && toGoroutine(alloc, depth+1) {
				return true
			}
		case *ssa.Call:
			// A reader built on it: bufio.NewReader(pr), bufio.NewScanner(pr).
			if ref.Call.Value != v && canHold(ref.Type()) && toGoroutine(ref, depth+1) {
				return true
			}
		}
	}
	return false
}

// startsGoroutineOn reports whether the function that allocates a starts a
// goroutine that references it: go a.loop(), go run(a), go func() { a... }().
func startsGoroutineOn(a *ssa.Alloc) bool {
	for _, ref := range *a.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Go:
			return true
		case *ssa.MakeClosure:
			for _, cref := range *ref.Referrers() {
				if g, ok := cref.(*ssa.Go); ok && g.Call.Value == ref {
					return true
				}
			}
		case *ssa.MakeInterface:
			if toGoroutine(ref, 1) {
				return true
			}
		}
	}
	return false
}

// startsOn reports whether v's function starts a goroutine that holds v,
// itself or through a callee whose summary says it starts one on the
// argument (a Reset that starts the decoding goroutine on its receiver).
func (r *Result) startsOn(v ssa.Value, depth int) bool {
	if a, ok := v.(*ssa.Alloc); ok && startsGoroutineOn(a) {
		return true
	}
	refs := v.Referrers()
	if refs == nil || depth > 2 {
		return false
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.Go:
			return true
		case *ssa.MakeClosure:
			for _, cref := range *ref.Referrers() {
				if g, ok := cref.(*ssa.Go); ok && g.Call.Value == ref {
					return true
				}
			}
		case *ssa.MakeInterface, *ssa.ChangeType:
			if r.startsOn(ref.(ssa.Value), depth+1) {
				return true
			}
		case *ssa.Call:
			if ref.Call.IsInvoke() {
				continue
			}
			sum, _ := r.summaryOf(ref.Call.StaticCallee())
			if sum.Starts == 0 {
				continue
			}
			for j, a := range ref.Call.Args {
				if a == v && j < 64 && sum.Starts&(1<<j) != 0 {
					return true
				}
			}
		}
	}
	return false
}

// holdsGoroutine reports whether a field of the new object a is set to a
// goroutine-backed value: the object then owns that goroutine.
func holdsGoroutine(r *Result, a *ssa.Alloc, depth int) bool {
	return storedInParts(a, func(x ssa.Value) bool { return r.goroutineDepth(x, depth+1) })
}

// storedInParts reports whether something stored into a field or an
// element of the new object or array a satisfies pred.
func storedInParts(a *ssa.Alloc, pred func(ssa.Value) bool) bool {
	for _, ref := range *a.Referrers() {
		var part ssa.Value
		switch x := ref.(type) {
		case *ssa.FieldAddr:
			part = x
		case *ssa.IndexAddr:
			part = x
		default:
			continue
		}
		for _, pr := range *part.Referrers() {
			if st, ok := pr.(*ssa.Store); ok && st.Addr == part && pred(st.Val) {
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
		if !ok {
			continue
		}
		sum := *s.of(fn)
		if sum == (Summary{}) {
			continue // Summarised says so
		}
		s.res.pass.ExportObjectFact(obj, &sum)
	}
	s.res.pass.ExportPackageFact(new(Summarised))
}

// needsSummaries reports whether the package declares functions that take
// or return resources, or values that can hold them.
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
		if r.carrier(v.Type()) || isWriterIface(v.Type()) || r.carrierFields(v.Type()) {
			return true
		}
	}
	for v := range sig.Results().Variables() {
		if r.carrier(v.Type()) || isWriterIface(v.Type()) {
			return true
		}
	}
	return false
}

// isWriterIface reports whether t is io.Writer or an interface embedding
// it: the type pipe and logrus writers travel as.
func isWriterIface(t types.Type) bool {
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	for m := range iface.Methods() {
		if m.Name() == "Write" {
			return true
		}
	}
	return false
}

// mayHold reports whether a parameter of type t can receive a resource:
// resources, and interfaces other than context.Context and error.
func (r *Result) mayHold(t types.Type) bool {
	if t == nil {
		return false
	}
	if r.carrier(t) {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		// A slice of them (closeAll(files)).
		return r.carrier(u.Elem())
	case *types.Array:
		return r.carrier(u.Elem())
	case *types.Map:
		return r.carrier(u.Elem()) || r.carrier(u.Key())
	}
	if _, isIface := t.Underlying().(*types.Interface); !isIface && r.lookupMethod(t, "CloseIdleConnections") != nil {
		// An http.Client: it carries the transport it releases.
		return true
	}
	if r.carrierFields(t) {
		// A struct passed by value with a resource in a field (the
		// files of a worker's pipes, handed to the client that keeps
		// them), or a pointer to one (a constructor's *Config).
		return true
	}
	if _, ok := t.Underlying().(*types.Interface); !ok {
		return false
	}
	return !typeis.Named(t, "context", "Context") && !types.Identical(t, types.Universe.Lookup("error").Type())
}

// carrierFields reports whether t is a struct of settings, or a pointer to
// one, with a field that may hold a resource: a struct type without
// methods (a Config, an Options), which only carries what it is given.
func (r *Result) carrierFields(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	if r.msets.MethodSet(types.NewPointer(t)).Len() > 0 {
		return false
	}
	for f := range st.Fields() {
		if r.carrier(f.Type()) {
			return true
		}
	}
	return false
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

// canRelease reports whether code holding a value of static type t could
// release a resource stored in it: t has a release method, or is a
// container or struct of such values. An io.Writer, an io.Reader or a
// *log.Logger cannot: nothing in Go closes what it was given as one.
func (r *Result) canRelease(t types.Type, depth int) bool {
	if t == nil || depth > 3 {
		return false
	}
	if r.carrier(t) {
		return true
	}
	if _, isIface := t.Underlying().(*types.Interface); !isIface && r.lookupMethod(t, "CloseIdleConnections") != nil {
		return true // an http.Client: it releases the transport it holds
	}
	if _, ok := r.IsResource(types.NewPointer(t)); ok {
		if _, isIface := t.Underlying().(*types.Interface); !isIface {
			return true
		}
	}
	if r.stopMethod(types.NewPointer(t)) != nil {
		return true // its Cancel (Quit, Kill) ends it
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return r.canRelease(u.Elem(), depth+1)
	case *types.Slice:
		return r.canRelease(u.Elem(), depth+1)
	case *types.Array:
		return r.canRelease(u.Elem(), depth+1)
	case *types.Map:
		return r.canRelease(u.Elem(), depth+1) || r.canRelease(u.Key(), depth+1)
	case *types.Chan:
		return r.canRelease(u.Elem(), depth+1)
	case *types.Struct:
		// A holder whose exported fields its receivers can release (a
		// link of pipe ends passed to the handler that ends them).
		for f := range u.Fields() {
			if f.Exported() && (domainIface(f.Type()) || r.canRelease(f.Type(), depth+1)) {
				return true
			}
		}
		return false
	case *types.Signature:
		return true // a callback may close what it captured
	case *types.Interface:
		// any and other method-less interfaces: the holder may assert
		// anything out of it.
		return u.NumMethods() == 0
	}
	return false
}

// fieldReleased reports whether a resource stored in field f can be
// released by its owner: code of f's package loads the field and releases
// (or hands on) what it holds; for a field of another package, whether its
// type lets that package's code release it (exported fields of a type that
// can be released are trusted to be).
func (r *Result) fieldReleased(f *types.Var, owner types.Type) bool {
	if f.Exported() && domainIface(f.Type()) {
		// An exported field of a project's own interface type (a
		// link's Writer): whoever gets the holder releases what it
		// holds by asserting a Close out of it, as such code does
		// (common.Close(link.Writer)); io.Writer and its kin are
		// library holders, judged below.
		return true
	}
	if f.Pkg() != r.pass.Pkg {
		// Judged by types: the field's own type lets its holders
		// release it, or the owner has a release method (an
		// http.Client's CloseIdleConnections releases its Transport).
		if r.canRelease(f.Type(), 0) {
			return true
		}
		if _, isIface := f.Type().Underlying().(*types.Interface); isIface && owner != nil && hasReleaseMethod(r, owner) {
			return true
		}
		return false
	}
	if v, ok := r.sum.released[f]; ok {
		return v
	}
	r.sum.released[f] = false
	v := r.fieldReleasedHere(f)
	if !v && f.Embedded() && owner != nil && r.promotesRelease(f, owner) {
		// An embedded value whose release method the owner promotes
		// (UDPConn embeds conn, whose Close closes its fd): the owner's
		// Close is the field's.
		v = true
	}
	if !v && f.Exported() && r.canRelease(f.Type(), 0) {
		v = true // other packages may release it
	}
	r.sum.released[f] = v
	return v
}

// promotesRelease reports whether owner's method set has a release method
// promoted from the embedded field f, and that method releases.
func (r *Result) promotesRelease(f *types.Var, owner types.Type) bool {
	ft := f.Type()
	if _, ok := ft.Underlying().(*types.Interface); ok {
		return false // an embedded interface: judged by canRelease
	}
	m, ok := r.IsResource(ft)
	if !ok || m == nil {
		if m, ok = r.IsResource(types.NewPointer(ft)); !ok || m == nil {
			return false
		}
	}
	om := r.lookupMethod(owner, m.Name())
	return om != nil && om.Origin() == m.Origin()
}

func (r *Result) fieldReleasedHere(f *types.Var) bool {
	for _, loaded := range r.fieldLoads(f) {
		for _, d := range r.disposals(loaded) {
			if d.Releasing() && d.How != Returned {
				return true
			}
			if d.How == Returned && !d.Held && r.canRelease(f.Type(), 0) {
				// A getter hands it to callers that may release
				// it, if its type lets them.
				return true
			}
		}
	}
	return false
}

// fieldLoads returns the values loaded from field f in the package: one
// pass over the package indexes every field.
func (r *Result) fieldLoads(f *types.Var) []ssa.Value {
	r.mu.Lock()
	loads := r.sum.loads
	r.mu.Unlock()
	if loads == nil {
		loads = r.indexFieldLoads()
		r.mu.Lock()
		r.sum.loads = loads
		r.mu.Unlock()
	}
	return loads[f]
}

// indexFieldLoads maps every field of the package to the values loaded
// from it.
func (r *Result) indexFieldLoads() map[*types.Var][]ssa.Value {
	loads := map[*types.Var][]ssa.Value{}
	for _, fn := range r.funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.FieldAddr:
					fv := fieldVar(x)
					if fv == nil {
						continue
					}
					var loaded ssa.Value
					for _, fr := range *x.Referrers() {
						if u, ok := fr.(*ssa.UnOp); ok && u.Op == token.MUL {
							loaded = u
						}
					}
					if loaded != nil {
						loads[fv] = append(loads[fv], loaded)
					}
					if _, isStruct := fv.Type().Underlying().(*types.Struct); isStruct {
						// A struct-valued field is used through its
						// address: cl.c.Close() calls (*conn).Close
						// on &cl.c.
						loads[fv] = append(loads[fv], x)
					}
				case *ssa.Field:
					if st, ok := x.X.Type().Underlying().(*types.Struct); ok && x.Field < st.NumFields() {
						fv := st.Field(x.Field)
						loads[fv] = append(loads[fv], x)
					}
				}
			}
		}
	}
	return loads
}

// funcs returns the source functions of the package under analysis.
func (r *Result) funcs() []*ssa.Function {
	if r.ir == nil {
		return nil
	}
	return r.ir.SrcFuncs()
}

func (s *summarizer) of(fn *ssa.Function) *Summary {
	if sum, ok := s.memo[fn]; ok {
		return sum
	}
	// While fn is being summarised (recursion), assume the worst for
	// callers: it takes everything and creates nothing.
	s.memo[fn] = &Summary{Takes: ^uint64(0)}
	sum := &Summary{}
	// Results that are copies of a parameter's object (clone := *c;
	// return &clone, or client.WithContext(ctx) returning such a clone):
	// releasing either releases what both hold, so the parameter comes
	// back as it went in.
	copies := map[int]map[ssa.Value]bool{}
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			for _, res := range ret.Results {
				if i := s.copyOfParam(res, 0); i >= 0 && i < 64 {
					if copies[i] == nil {
						copies[i] = map[ssa.Value]bool{}
					}
					copies[i][res] = true
					sum.Returns |= 1 << i
				}
			}
		}
	}
	for i, p := range fn.Params {
		if i >= 64 {
			break
		}
		if !s.res.mayHold(p.Type()) {
			continue
		}
		var self map[ssa.Value]bool
		for _, d := range s.res.paramDisposals(p) {
			if d.How == Returned && !d.Held && !d.Outside {
				if self == nil {
					self = Aliases(p)
					for c := range copies[i] {
						self[c] = true
					}
				}
				if returnsOneOf(d.Instr, self) {
					// Handed back as it came (bufio.NewReaderSize
					// returns a *bufio.Reader it is given): the
					// caller still has it.
					sum.Returns |= 1 << i
					continue
				}
			}
			if d.Outside {
				// Kept by the receiver's or another parameter's object,
				// which cannot release it.
				sum.Holds |= 1 << i
			} else if d.Releasing() {
				sum.Takes |= 1 << i
			} else if d.How == Returned {
				// Kept by a result, or by the receiver or another
				// parameter's object, that cannot release it.
				sum.Holds |= 1 << i
			}
		}
	}
	sum.Holds &^= sum.Takes
	sum.Returns &^= sum.Takes | sum.Holds
	for i, p := range fn.Params {
		if i < 64 && canHold(p.Type()) && s.res.startsOn(p, 0) {
			sum.Starts |= 1 << i
		}
	}
	// A function that takes a resource of its caller's (a connection it
	// wraps to peek at or to frame messages on) returns a view of that
	// resource, not a new one: closing the view would close the caller's
	// connection, so losing the view loses nothing.
	for i, p := range fn.Params {
		if i == 0 && fn.Signature.Recv() != nil {
			continue // a method's result is not a view of its receiver
		}
		if i < 64 && sum.Takes&(1<<i) != 0 && s.res.carrier(p.Type()) {
			sum.Wraps |= 1 << i
		}
	}
	results := fn.Signature.Results()
	for i := 0; i < results.Len() && i < 64; i++ {
		fresh, gor, any := true, true, false
		for _, b := range fn.Blocks {
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok || i >= len(ret.Results) {
				continue
			}
			f, g, isNil := s.fresh(ret.Results[i], map[ssa.Value]bool{})
			if isNil {
				continue
			}
			if closedBefore(ret.Results[i], ret) {
				// return c, c.Close(): the caller gets a closed value.
				f, g = false, false
			}
			fresh = fresh && f
			gor = gor && g
			any = true
		}
		if !any {
			continue
		}
		if (gor || fresh) && s.transportReturned(fn, i) {
			sum.Transport |= 1 << i
		}
		if (gor || fresh) && s.res.pinnedReturn(fn, i) {
			sum.Pinned |= 1 << i
		}
		if gor {
			sum.Goroutine |= 1 << i
			sum.Fresh |= 1 << i
		} else if fresh && sum.Wraps == 0 && (s.res.canRelease(results.At(i).Type(), 0) || typeis.Named(results.At(i).Type(), "net/http", "RoundTripper")) {
			// A new transport returned as an http.RoundTripper is still
			// the caller's: an http.Client around it releases it.
			sum.Fresh |= 1 << i
		} else if fresh && sum.Wraps == 0 && sum.Transport&(1<<i) != 0 {
			// A value of the package wrapping a new transport (a round
			// tripper with no CloseIdleConnections of its own): whoever
			// gets it gets the transport's pool, to reuse or to lose.
			sum.Fresh |= 1 << i
		}
	}
	if bits := s.views[fn]; bits != 0 && sum.Fresh == 0 && sum.Goroutine == 0 {
		sum.Wraps |= bits
	}
	for i, p := range fn.Params {
		if i < 64 && typeis.Named(p.Type(), "context", "Context") && returnsOnlyWhenDone(fn, p) {
			sum.Until |= 1 << i
		}
	}
	sum.NoReturn = len(fn.Blocks) > 0 && !hasReturn(fn)
	sum.Ends = !sum.NoReturn && s.res.endsReceiver(fn)
	if obj := funcObject(fn); obj != nil && freshSeed(obj) {
		sum.Fresh |= 1
	}
	if obj := funcObject(fn); obj != nil && headRequest(obj) {
		sum.Fresh &^= 1 // a HEAD response has no body to hold a connection
	}
	if d := s.res.drops(fn); d != nil {
		sum.Drops, sum.DropsKind = d.Origin, d.Kind
	}
	s.memo[fn] = sum
	return sum
}

// returnsOnlyWhenDone reports whether every return of fn is reached only
// after ctx is seen done: a branch on ctx.Err() != nil, a receive from
// ctx.Done() (alone or as a select case) dominates it. fn must return
// somewhere: a function with no return is not this.
func returnsOnlyWhenDone(fn *ssa.Function, ctx *ssa.Parameter) bool {
	if fn.Blocks == nil || fn.Recover != nil {
		return false
	}
	// The blocks that run only once ctx is done.
	var done []*ssa.BasicBlock
	isCtxCall := func(v ssa.Value, method string) bool {
		c, ok := v.(*ssa.Call)
		return ok && c.Call.IsInvoke() && c.Call.Value == ctx && c.Call.Method.Name() == method
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.UnOp:
				if x.Op == token.ARROW && isCtxCall(x.X, "Done") {
					done = append(done, b) // what follows the receive
				}
			case *ssa.If:
				cmp, ok := x.Cond.(*ssa.BinOp)
				if !ok || (cmp.Op != token.NEQ && cmp.Op != token.EQL) || !isNilConst(cmp.Y) || !isCtxCall(cmp.X, "Err") {
					continue
				}
				succ := b.Succs[0]
				if cmp.Op == token.EQL {
					succ = b.Succs[1]
				}
				if len(succ.Preds) == 1 {
					done = append(done, succ)
				}
			case *ssa.Select:
				for k, st := range x.States {
					if st.Dir != types.RecvOnly || !isCtxCall(st.Chan, "Done") {
						continue
					}
					if succ := goflow.CaseBlock(x, k); succ != nil && len(succ.Preds) == 1 {
						done = append(done, succ)
					}
				}
			}
		}
	}
	returns := 0
	for _, b := range fn.Blocks {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ok {
			continue
		}
		returns++
		covered := false
		for _, d := range done {
			if d.Dominates(b) {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	return returns > 0
}

// foreverCalls returns the calls of fn that never return (neverReturns),
// found once per function.
func (r *Result) foreverCalls(fn *ssa.Function) []*ssa.Call {
	if calls, ok := r.sum.forever[fn]; ok {
		return calls
	}
	var calls []*ssa.Call
	for _, blk := range fn.Blocks {
		for _, instr := range blk.Instrs {
			if call, ok := instr.(*ssa.Call); ok && r.neverReturns(call) {
				calls = append(calls, call)
			}
		}
	}
	if r.sum.forever == nil {
		r.sum.forever = map[*ssa.Function][]*ssa.Call{}
	}
	r.sum.forever[fn] = calls
	return calls
}

// neverReturns reports whether call never returns: its callee has no
// return at all (an accept loop that retries forever), or returns only
// once a context argument is done, and that context is context.Background
// or context.TODO.
func (r *Result) neverReturns(call *ssa.Call) bool {
	sum, known := r.summaryOf(call.Call.StaticCallee())
	if known && sum.NoReturn {
		return true
	}
	if !known || sum.Until == 0 {
		return false
	}
	for i, a := range call.Call.Args {
		if i >= 64 || sum.Until&(1<<i) == 0 {
			continue
		}
		c, ok := ssair.Unconvert(a).(*ssa.Call)
		if !ok {
			continue
		}
		if obj := funcObject(c.Call.StaticCallee()); obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "context" && (obj.Name() == "Background" || obj.Name() == "TODO") {
			return true
		}
	}
	return false
}

// pinnedReturn reports whether every non-nil value fn returns as result i
// is held by a goroutine started on it.
func (r *Result) pinnedReturn(fn *ssa.Function, i int) bool {
	any := false
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || i >= len(ret.Results) {
			continue
		}
		v := ret.Results[i]
		if isNilConst(v) {
			continue
		}
		if !r.pinned(v) {
			return false
		}
		any = true
	}
	return any
}

// pinned is Pinned without the lock.
func (r *Result) pinned(v ssa.Value) bool {
	for range 8 {
		switch x := ssair.Unconvert(v).(type) {
		case *ssa.Alloc:
			return x.Heap && r.startsOn(x, 0)
		case *ssa.Call:
			sum, _ := r.summaryOf(x.Call.StaticCallee())
			return sum.PinnedResult(0)
		case *ssa.Extract:
			if call, ok := x.Tuple.(*ssa.Call); ok {
				sum, _ := r.summaryOf(call.Call.StaticCallee())
				return sum.PinnedResult(x.Index)
			}
		case *ssa.UnOp:
			if stores, ok := cellStores(x); ok && len(stores) == 1 {
				v = stores[0]
				continue
			}
		}
		return false
	}
	return false
}

// closedBefore reports whether v is closed on every path to ret: a release
// call on it (or an alias) in a block that dominates ret, before ret.
func closedBefore(v ssa.Value, ret *ssa.Return) bool {
	for a := range Aliases(v) {
		refs := a.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			call, ok := ref.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isCall := call.(*ssa.Call); !isCall {
				continue
			}
			c := call.Common()
			name := ""
			switch {
			case c.IsInvoke() && c.Value == a:
				name = c.Method.Name()
			case !c.IsInvoke() && len(c.Args) > 0 && c.Args[0] == a && c.StaticCallee() != nil && c.StaticCallee().Signature.Recv() != nil:
				name = c.StaticCallee().Name()
			}
			if !releaseNames[name] {
				continue
			}
			b := call.Block()
			if b == ret.Block() {
				return true // the return's own operands come after it
			}
			if b.Dominates(ret.Block()) {
				return true
			}
		}
	}
	return false
}

// freshSeed reports whether fn is one of the package net constructors of a
// connection whose body hides the creation from the model: a dial races
// its attempts through channels, an accept returns what a system call made.
// Everything built on them (tls.Dial, a project's dial helper) follows from
// their summaries.
func freshSeed(fn *types.Func) bool {
	if responseSeed(fn) {
		return true
	}
	if fn.Pkg() == nil || fn.Pkg().Path() != "net" {
		return false
	}
	switch fn.Name() {
	case "Dial", "DialContext", "DialTimeout", "DialTCP", "DialUDP", "DialUnix", "DialIP":
		return fn.Signature().Recv() == nil || recvNamed(fn, "Dialer")
	case "Accept", "AcceptTCP", "AcceptUnix":
		return recvNamed(fn, "TCPListener") || recvNamed(fn, "UnixListener")
	}
	return false
}

// responseSeed reports whether fn is one of net/http's requests that return
// a response whose body holds the connection until it is closed (or read to
// its end): Client.Do, Get, Post and PostForm, the package functions of the
// same names, and Transport.RoundTrip. Head's response has no body.
func responseSeed(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "net/http" {
		return false
	}
	switch fn.Name() {
	case "Do", "Get", "Post", "PostForm":
		return fn.Signature().Recv() == nil || recvNamed(fn, "Client")
	case "RoundTrip":
		return recvNamed(fn, "Transport")
	}
	return false
}

// headRequest reports whether fn is net/http's Head (Client.Head or the
// package function).
func headRequest(fn *types.Func) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "net/http" && fn.Name() == "Head" && (fn.Signature().Recv() == nil || recvNamed(fn, "Client"))
}

// IsResponse reports whether t is *http.Response: a resource released by
// closing its Body (or reading the Body to its end).
func IsResponse(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && typeis.Named(p.Elem(), "net/http", "Response")
}

// fresh reports whether v is a new resource (or nil, isNil), and whether it
// owns a goroutine.
func (s *summarizer) fresh(v ssa.Value, seen map[ssa.Value]bool) (ok, gor, isNil bool) {
	if seen[v] {
		return false, false, true
	}
	seen[v] = true
	switch v := ssair.Unconvert(v).(type) {
	case *ssa.Const:
		return false, false, v.IsNil()
	case *ssa.Phi:
		any, allGor := false, true
		for _, e := range v.Edges {
			f, g, isNil := s.fresh(e, seen)
			if isNil {
				continue
			}
			if !f && !g {
				return false, false, false
			}
			allGor = allGor && g
			any = true
		}
		return any, any && allGor, !any
	case *ssa.Alloc:
		if copiedParam(v) != nil {
			// A shallow copy of a parameter's object (clone := *c;
			// return &clone): it shares what the original holds.
			return false, false, false
		}
		if !v.Heap || IsResponse(v.Type()) {
			// A response made here (a stub transport's) holds no
			// connection.
			return false, false, false
		}
		gor := s.res.goroutineBackedV(v)
		_, isRes := s.res.IsResource(v.Type())
		if !isRes && !gor && !s.holdsFresh(v, seen) && !s.holdsFreshTransport(v) {
			return false, false, false
		}
		if !gor && s.res.emptyAtBirth(v) {
			// A server or client whose release method releases what it
			// will acquire later (listeners opened by Serve): made and
			// returned with nothing in it, it has nothing to release yet.
			return false, false, false
		}
		if bits := s.res.paramView(v); !gor && bits != 0 {
			// A holder whose release method releases only what it was
			// given (a rule storage closing the lists passed to it): as
			// new as those are, at the call.
			if s.views == nil {
				s.views = map[*ssa.Function]uint64{}
			}
			s.views[v.Parent()] |= bits
			return false, false, false
		}
		return !registered(v), gor && !registered(v), false
	case *ssa.Call, *ssa.Extract:
		if registered(v) {
			// Also kept where the function put it (exec.Cmd.StderrPipe
			// appends the pipe it returns to the command's list, which
			// Wait closes): not the caller's alone.
			return false, false, false
		}
		return s.res.freshV(v), s.res.goroutineBackedV(v), false
	case *ssa.UnOp:
		// A function with a defer returns through result cells: the
		// value returned is whatever was stored into the cell.
		stores, ok := cellStores(v)
		if !ok {
			return false, false, false
		}
		any, allGor := false, true
		for _, st := range stores {
			f, g, isNil := s.fresh(st, seen)
			if isNil {
				continue
			}
			if !f && !g {
				return false, false, false
			}
			allGor = allGor && g
			any = true
		}
		return any, any && allGor, !any
	}
	return false, false, false
}

// ReturnedValues returns the values a return gives as one of its results:
// res itself or, in a function with a defer (which returns through a local
// result cell), the values stored into that cell.
func ReturnedValues(res ssa.Value) []ssa.Value {
	if ld, ok := res.(*ssa.UnOp); ok {
		if vals, ok := cellStores(ld); ok {
			return vals
		}
	}
	return []ssa.Value{res}
}

// cellStores returns the values stored into the local cell that the load v
// reads, when v loads a cell that is only stored to and loaded from (a
// result cell of a function with a defer, a variable never captured).
func cellStores(v *ssa.UnOp) ([]ssa.Value, bool) {
	if v.Op != token.MUL {
		return nil, false
	}
	cell, ok := v.X.(*ssa.Alloc)
	if !ok || cell.Heap {
		return nil, false
	}
	var vals []ssa.Value
	for _, ref := range *cell.Referrers() {
		switch r := ref.(type) {
		case *ssa.Store:
			if r.Addr != cell {
				return nil, false
			}
			vals = append(vals, r.Val)
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return nil, false
			}
		case *ssa.DebugRef:
		default:
			return nil, false
		}
	}
	return vals, true
}

// transportReturned reports whether some return of fn gives a transport (or
// a client or other holder of one) as result i.
func (s *summarizer) transportReturned(fn *ssa.Function, i int) bool {
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || i >= len(ret.Results) {
			continue
		}
		if s.res.isTransportValue(ret.Results[i], 0) {
			return true
		}
	}
	return false
}

// isTransportValue reports whether v is a transport or holds one.
func (r *Result) isTransportValue(v ssa.Value, depth int) bool {
	if depth > 6 {
		return false
	}
	switch x := ssair.Unconvert(v).(type) {
	case *ssa.Phi:
		for _, e := range x.Edges {
			if r.isTransportValue(e, depth+1) {
				return true
			}
		}
	case *ssa.UnOp:
		stores, _ := cellStores(x)
		for _, st := range stores {
			if r.isTransportValue(st, depth+1) {
				return true
			}
		}
	case *ssa.Alloc:
		if TransportType(x.Type()) {
			return poolingTransport(x)
		}
		for _, ref := range *x.Referrers() {
			if fa, ok := ref.(*ssa.FieldAddr); ok {
				for _, fr := range *fa.Referrers() {
					if st, ok := fr.(*ssa.Store); ok && st.Addr == fa && r.isTransportValue(st.Val, depth+1) {
						return true
					}
				}
			}
		}
	case *ssa.Call:
		if TransportType(x.Type()) {
			return true
		}
		sum, _ := r.summaryOf(x.Call.StaticCallee())
		return sum.Transport&1 != 0
	case *ssa.Extract:
		if TransportType(x.Type()) {
			return true
		}
		if call, ok := x.Tuple.(*ssa.Call); ok {
			sum, _ := r.summaryOf(call.Call.StaticCallee())
			return x.Index < 64 && sum.Transport&(1<<x.Index) != 0
		}
	}
	return false
}

// emptyAtBirth reports whether the new object a, of a struct type its
// (non-standard) package declares, is made with nothing its release method
// could release: none of the reference fields that method reads (pointers,
// interfaces, slices, maps, channels, arrays of them) is set, and nothing
// new is stored in it. A server whose Stop closes the listeners Serve opens
// later has nothing to release until then. The standard library's resource
// types keep descriptors in plain fields, so they are left alone.
func (r *Result) emptyAtBirth(a *ssa.Alloc) bool {
	release, pt, read := r.ownRelease(a)
	if release != nil {
		if f := promotedFrom(pt, release); f >= 0 && !setsField(a, f) {
			// The release is promoted from an embedded interface or
			// pointer that the new object leaves nil (a graph node
			// whose component is built later): nothing to release yet.
			return true
		}
	}
	if read == nil {
		return false
	}
	if g := r.releaseGuard(release, pt); g >= 0 && !setsField(a, g) {
		// The release returns at once while field g is nil (if s.srv
		// == nil { return nil }), and the new object leaves it unset:
		// a server whose Start opens that later.
		return true
	}
	stores, whole := setFields(a)
	if whole {
		return false // the whole value stored at once
	}
	for _, st := range stores {
		if r.freshV(st.val) || r.goroutineBackedV(st.val) {
			return false // it holds a new resource
		}
		if read[st.fa.Field] && isReference(st.fa.Type().(*types.Pointer).Elem()) {
			return false // something its release method works on
		}
	}
	return true
}

// promotedFrom returns the index of the embedded field of *pt's struct,
// an interface or a pointer, that the method m is promoted from, or -1.
func promotedFrom(pt *types.Pointer, m *types.Func) int {
	_, index, _ := types.LookupFieldOrMethod(pt, true, m.Pkg(), m.Name())
	if len(index) < 2 {
		return -1
	}
	st, ok := pt.Elem().Underlying().(*types.Struct)
	if !ok || index[0] >= st.NumFields() {
		return -1
	}
	switch st.Field(index[0]).Type().Underlying().(type) {
	case *types.Interface, *types.Pointer:
		return index[0]
	}
	return -1
}

// ownRelease returns, for a new object a of a struct type of this
// (non-standard) package that is a resource, its release method, its
// pointer type and the fields that method reads; read is nil for any other
// object, or when the method's code is not at hand.
func (r *Result) ownRelease(a *ssa.Alloc) (release *types.Func, pt *types.Pointer, read map[int]bool) {
	pt, ok := types.Unalias(a.Type()).(*types.Pointer)
	if !ok {
		return nil, nil, nil
	}
	n, ok := types.Unalias(pt.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() != r.pass.Pkg || !projectPkg(r.pass.Pkg) {
		return nil, nil, nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil, nil, nil
	}
	release, ok = r.IsResource(a.Type())
	if !ok || release == nil {
		return nil, nil, nil
	}
	return release, pt, r.fieldsRead(release, pt)
}

// A fieldStore is a value stored into a field of a new object.
type fieldStore struct {
	fa  *ssa.FieldAddr
	val ssa.Value
}

// setFields returns the non-nil values stored into fields of the new
// object a, and whether the whole object is stored at once (*a = T{...}).
func setFields(a *ssa.Alloc) (stores []fieldStore, whole bool) {
	for _, ref := range *a.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			if _, isStore := ref.(*ssa.Store); isStore {
				return nil, true
			}
			continue
		}
		for _, fr := range *fa.Referrers() {
			st, ok := fr.(*ssa.Store)
			if !ok || st.Addr != fa {
				continue
			}
			if k, ok := st.Val.(*ssa.Const); ok && k.IsNil() {
				continue
			}
			stores = append(stores, fieldStore{fa, st.Val})
		}
	}
	return stores, false
}

// paramView returns the parameters of its function that the new object a
// is a view of: a struct of this (non-standard) package whose release
// method reads, of the reference fields the function sets, only fields set
// to parameters (a rule storage keeping, and closing, the lists it is
// given). Zero when it holds anything else its release method works on.
func (r *Result) paramView(a *ssa.Alloc) uint64 {
	_, _, read := r.ownRelease(a)
	if read == nil {
		return 0
	}
	fn := a.Parent()
	stores, whole := setFields(a)
	if whole {
		return 0
	}
	var bits uint64
	for _, st := range stores {
		if r.freshV(st.val) || r.goroutineBackedV(st.val) {
			return 0
		}
		if !read[st.fa.Field] || !isReference(st.fa.Type().(*types.Pointer).Elem()) {
			continue
		}
		p, ok := ssair.Unconvert(st.val).(*ssa.Parameter)
		if !ok || p.Parent() != fn {
			return 0
		}
		for i, q := range fn.Params {
			if q == p && i < 64 {
				bits |= 1 << i
			}
		}
	}
	return bits
}

// fieldsRead returns the fields of the struct that recv points to which
// the method m (of this package) and its function literals read, or nil
// when m's code is not at hand.
func (r *Result) fieldsRead(m *types.Func, recv types.Type) map[int]bool {
	if r.ir == nil || r.sum == nil {
		return nil
	}
	// Checks of one package may ask at once: the caches are guarded, and
	// what is computed outside the lock is the same whoever computes it.
	r.mu.Lock()
	read, ok := r.sum.reads[m]
	r.mu.Unlock()
	if ok {
		return read
	}
	read = r.scanFieldsRead(m, recv)
	r.mu.Lock()
	if r.sum.reads == nil {
		r.sum.reads = map[*types.Func]map[int]bool{}
	}
	r.sum.reads[m] = read
	r.mu.Unlock()
	return read
}

func (r *Result) scanFieldsRead(m *types.Func, recv types.Type) map[int]bool {
	fn := r.ir.Package().Prog.FuncValue(m)
	if fn == nil || fn.Blocks == nil {
		return nil
	}
	read := map[int]bool{}
	var scan func(f *ssa.Function)
	scan = func(f *ssa.Function) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if fa, ok := instr.(*ssa.FieldAddr); ok && types.Identical(fa.X.Type(), recv) {
					read[fa.Field] = true
				}
				if fl, ok := instr.(*ssa.Field); ok && types.Identical(fl.X.Type(), recv.(*types.Pointer).Elem()) {
					read[fl.Field] = true
				}
			}
		}
		for _, anon := range f.AnonFuncs {
			scan(anon)
		}
	}
	scan(fn)
	return read
}

// isReference reports whether a field of type t holds something by
// reference, so that a release can reach it.
func isReference(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Slice, *types.Map, *types.Chan, *types.Signature:
		return true
	case *types.Array:
		return isReference(u.Elem())
	}
	return false
}

// holdsFresh reports whether the new object a keeps a new resource in a
// field its type can release (an http.Client around a new transport).
func (s *summarizer) holdsFresh(a *ssa.Alloc, seen map[ssa.Value]bool) bool {
	if !hasReleaseMethod(s.res, a.Type()) {
		return false
	}
	return storedInParts(a, s.freshInHolder)
}

// holdsFreshTransport reports whether the new value a keeps a new HTTP
// transport in a field, whatever a's own methods: a round tripper of the
// package wrapping one hands its pool to whoever gets it (Summary.Transport
// says so; the other checks do not take it for a resource of its own).
func (s *summarizer) holdsFreshTransport(a *ssa.Alloc) bool {
	return storedInParts(a, func(v ssa.Value) bool { return s.freshInHolder(v) && s.res.isTransportValue(v, 0) })
}

// domainIface reports whether t is a named interface of a project's own
// kind: it declares a method beyond the io ones (Read, Write, Close...)
// and no release method. A value kept as one is handed to code that knows
// what it is.
func domainIface(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	iface, ok := n.Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 {
		return false
	}
	specific := false
	for m := range iface.Methods() {
		if releaseNames[m.Name()] {
			return false
		}
		if !genericMethods[m.Name()] {
			specific = true
		}
	}
	if !specific {
		return false
	}
	// The standard library's interfaces (http.Handler, fmt.Stringer) are
	// library holders' kinds, not a project's.
	return projectPkg(n.Obj().Pkg())
}

// hasReturn reports whether fn has a return instruction (an endless loop
// has none).
func hasReturn(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return true
		}
	}
	return false
}

// releaseGuard returns the field of its receiver that the release method m
// tests against nil on entry, returning at once where it is nil, or -1.
func (r *Result) releaseGuard(m *types.Func, recv types.Type) int {
	if r.ir == nil {
		return -1
	}
	fn := r.ir.Package().Prog.FuncValue(m)
	if fn == nil || len(fn.Blocks) == 0 || len(fn.Params) == 0 {
		return -1
	}
	entry := fn.Blocks[0]
	ifi, ok := entry.Instrs[len(entry.Instrs)-1].(*ssa.If)
	if !ok {
		return -1
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || nilTested(cmp) == nil {
		return -1
	}
	fa := loadedField(nilTested(cmp))
	if fa == nil || !types.Identical(fa.X.Type(), recv) || !IsParamOrSpill(fa.X, fn.Params[0]) {
		return -1
	}
	isNil := ifi.Block().Succs[0] // the branch where the field is nil
	if cmp.Op == token.NEQ {
		isNil = ifi.Block().Succs[1]
	}
	if _, ret := isNil.Instrs[len(isNil.Instrs)-1].(*ssa.Return); !ret {
		return -1
	}
	for _, instr := range isNil.Instrs {
		switch instr.(type) {
		case *ssa.Return, *ssa.DebugRef:
		default:
			return -1 // it does something first
		}
	}
	return fa.Field
}

// setsField reports whether the new object a gets a non-nil value in field
// i where it is made, or is stored whole.
func setsField(a *ssa.Alloc, i int) bool {
	for _, ref := range *a.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
			return true
		}
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fa.Field != i {
			continue
		}
		for _, fr := range *fa.Referrers() {
			st, ok := fr.(*ssa.Store)
			if !ok || st.Addr != fa {
				continue
			}
			if k, ok := st.Val.(*ssa.Const); !ok || !k.IsNil() {
				return true
			}
		}
	}
	return false
}

// returnsOneOf reports whether instr is a return that gives one of vals
// (through a result cell) as a result.
func returnsOneOf(instr ssa.Instruction, vals map[ssa.Value]bool) bool {
	ret, ok := instr.(*ssa.Return)
	if !ok {
		return false
	}
	for _, res := range ret.Results {
		for _, v := range ReturnedValues(res) {
			if vals[v] || vals[ssair.Unconvert(v)] {
				return true
			}
		}
	}
	return false
}

// appendsFresh reports whether the variadic slice of an append call holds
// a new resource: append(h.f, newT()) stores newT()'s result into the
// array behind it.
func (s *summarizer) appendsFresh(args ssa.Value) bool {
	sl, ok := args.(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := sl.X.(*ssa.Alloc)
	return ok && storedInParts(arr, s.freshInHolder)
}

// freshInHolder reports whether v, stored into a new holder, is a new
// resource (its store into the holder is no registration).
func (s *summarizer) freshInHolder(v ssa.Value) bool {
	switch x := ssair.Unconvert(v).(type) {
	case *ssa.Alloc:
		if !x.Heap {
			return false
		}
		_, ok := s.res.IsResource(x.Type())
		return ok || s.res.goroutineBackedV(x)
	case *ssa.Call:
		if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" {
			// h.f = append(h.f, newT()): what is appended.
			return len(x.Call.Args) == 2 && s.appendsFresh(x.Call.Args[1])
		}
		return s.res.freshV(x) || s.res.goroutineBackedV(x)
	case *ssa.Extract:
		return s.res.freshV(x) || s.res.goroutineBackedV(x)
	}
	return false
}

// hasReleaseMethod reports whether t (or *t) has a method named like a
// release: an owner that can release what it holds, judged by its method
// set (http.Client's CloseIdleConnections).
func hasReleaseMethod(r *Result, t types.Type) bool {
	for _, name := range releaseOrder {
		if r.lookupMethod(t, name) != nil {
			return true
		}
	}
	return r.lookupMethod(t, "CloseIdleConnections") != nil || r.stopMethod(t) != nil
}

// registered reports whether a new object is also stored somewhere other
// than in a result: then something else may own it.
func registered(v ssa.Value) bool {
	for _, instr := range *v.Referrers() {
		switch instr := instr.(type) {
		case *ssa.Store:
			if instr.Val == v {
				if _, ok := instr.Addr.(*ssa.Alloc); ok {
					continue // a local variable
				}
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

// endsReceiver reports whether the method fn, which is not its type's
// release method, releases its receiver on every path that returns: it
// calls a release method of the receiver on every path (defer c.Close()), or
// it releases every field that the type's release method releases (a
// connection's serve loop that closes the connection before it returns).
func (r *Result) endsReceiver(fn *ssa.Function) bool {
	recv := fn.Signature.Recv()
	if recv == nil || len(fn.Params) == 0 || len(fn.Blocks) == 0 || fn.Parent() != nil {
		return false
	}
	obj := funcObject(fn)
	if obj == nil || releaseNames[obj.Name()] || delegateNames[obj.Name()] {
		return false // a release method itself: judged by its name
	}
	p := fn.Params[0]
	if _, ok := p.Type().(*types.Pointer); !ok {
		return false
	}
	var m *types.Func
	for _, name := range releaseOrder {
		if m = r.lookupMethod(p.Type(), name); m != nil {
			break
		}
	}
	if m == nil || m.Pkg() != r.pass.Pkg || m == obj {
		return false
	}
	self := receiverValues(p)
	// A call of the receiver's release on every path.
	closes := map[ssa.Instruction]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			com := call.Common()
			if com.IsInvoke() || len(com.Args) == 0 || !self[com.Args[0]] {
				continue
			}
			if callee := com.StaticCallee(); callee != nil && callee.Signature.Recv() != nil {
				if o := funcObject(callee); o != nil && r.releasesReceiver(o, true) {
					closes[instr] = true
				}
			}
		}
	}
	if len(closes) > 0 && len(leakingReturns(fn, nil, closes, self, nil, nil)) == 0 {
		return true
	}
	mfn := r.ir.Package().Prog.FuncValue(m)
	if mfn == nil || len(mfn.Blocks) == 0 || len(mfn.Params) == 0 {
		return false
	}
	want, ok := r.sum.releasedBy[mfn]
	if !ok {
		want = r.fieldsReleasedOnEveryPath(mfn)
		if r.sum.releasedBy == nil {
			r.sum.releasedBy = map[*ssa.Function]map[int]bool{}
		}
		r.sum.releasedBy[mfn] = want
	}
	if len(want) == 0 {
		return false
	}
	have := r.fieldsReleasedOnEveryPath(fn)
	for i := range want {
		if !have[i] {
			return false
		}
	}
	return true
}

// receiverValues returns the receiver p and its loads from the cell it
// lives in when closures capture it.
func receiverValues(p *ssa.Parameter) map[ssa.Value]bool {
	self := map[ssa.Value]bool{p: true}
	for _, ref := range *p.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Val == ssa.Value(p) {
			if cell, ok := st.Addr.(*ssa.Alloc); ok {
				for _, cref := range *cell.Referrers() {
					if u, ok := cref.(*ssa.UnOp); ok && u.Op == token.MUL {
						self[u] = true
					}
				}
			}
		}
	}
	return self
}

// fieldsReleasedOnEveryPath returns the fields of fn's receiver that fn
// releases on every path that returns (a nil field is nothing to release:
// if c.conn != nil { c.conn.Close() } releases conn).
func (r *Result) fieldsReleasedOnEveryPath(fn *ssa.Function) map[int]bool {
	self := receiverValues(fn.Params[0])
	loads := map[int][]ssa.Value{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			fa, ok := instr.(*ssa.FieldAddr)
			if !ok || !self[fa.X] {
				continue
			}
			for _, ref := range *fa.Referrers() {
				if u, ok := ref.(*ssa.UnOp); ok && u.Op == token.MUL && canHold(u.Type()) {
					loads[fa.Field] = append(loads[fa.Field], u)
				}
			}
		}
	}
	// Fields the method clears (w.conn = nil): one it returns after
	// clearing it is moved out to the caller, as good as released here.
	cleared := map[int]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			if fa, ok := st.Addr.(*ssa.FieldAddr); ok && self[fa.X] && isNilConst(st.Val) {
				cleared[fa.Field] = true
			}
		}
	}
	var out map[int]bool
	for i, vs := range loads {
		stop := map[ssa.Instruction]bool{}
		aliases := map[ssa.Value]bool{}
		for _, v := range vs {
			for a := range Aliases(v) {
				aliases[a] = true
			}
			for _, d := range r.disposals(v) {
				if d.How == Closed && !d.Held || d.How == Returned && !d.Held && cleared[i] {
					stop[d.Instr] = true
				}
			}
		}
		if len(stop) > 0 && len(leakingReturns(fn, nil, stop, aliases, nil, nil)) == 0 {
			if out == nil {
				out = map[int]bool{}
			}
			out[i] = true
		}
	}
	return out
}

// copiedParam returns the parameter whose object the allocation a is a
// shallow copy of (clone := *c), or nil.
func copiedParam(a *ssa.Alloc) *ssa.Parameter {
	for _, ref := range *a.Referrers() {
		st, ok := ref.(*ssa.Store)
		if !ok || st.Addr != ssa.Value(a) {
			continue
		}
		ld, ok := st.Val.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			continue
		}
		if p, ok := ld.X.(*ssa.Parameter); ok && types.Identical(p.Type(), a.Type()) {
			return p
		}
	}
	return nil
}

// copyOfParam returns the index of the parameter of v's function whose
// object v is a shallow copy of, directly or through a call of the package
// that returns a copy of its argument, or -1.
func (s *summarizer) copyOfParam(v ssa.Value, depth int) int {
	switch v := ssair.Unconvert(v).(type) {
	case *ssa.Alloc:
		if p := copiedParam(v); p != nil {
			return paramIndexOf(p)
		}
	case *ssa.Call:
		callee := v.Call.StaticCallee()
		if callee == nil || depth > 3 || callee.Pkg == nil || callee.Pkg.Pkg != s.res.pass.Pkg || len(callee.Blocks) == 0 {
			return -1
		}
		sum := s.of(callee)
		for j, a := range v.Call.Args {
			if sum.ReturnsParam(j) {
				if p, ok := a.(*ssa.Parameter); ok {
					return paramIndexOf(p)
				}
			}
		}
	}
	return -1
}

func paramIndexOf(p *ssa.Parameter) int {
	for i, q := range p.Parent().Params {
		if q == p {
			return i
		}
	}
	return -1
}

// cellSource returns, for the heap cell of a local variable, the value
// made elsewhere (a call's result) that is all it is ever assigned, or nil.
func cellSource(a *ssa.Alloc) ssa.Value {
	switch v := CellValue(a).(type) {
	case *ssa.Call, *ssa.Extract:
		return v
	}
	return nil
}
