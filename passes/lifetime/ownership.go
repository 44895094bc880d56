package lifetime

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

// How is the way one use of a resource disposes of it: after such a use the
// function that created the resource is no longer the one to release it.
type How int

const (
	Closed    How = iota + 1 // its release method is called (or deferred)
	Returned                 // returned to the caller
	Stored                   // kept by an owner that releases it, or for the life of the process
	Passed                   // handed to a callee that takes it
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
//
// Held is set when the resource reached the instruction inside a holder that
// cannot release it: a struct field, a wrapper or a logger whose type has no
// path that closes what it holds (exec.Cmd's Stdout, log.New's writer, a
// bufio.Reader on a connection). Such a holder keeps the resource alive as
// long as itself; a held resource that is returned can never be released by
// anyone, and a held resource that is closed through its holder is not
// closed at all, so only held disposals that keep it for the life of the
// process (Stored) or hand the holder to a real owner (Passed) count.
type Disposal struct {
	Instr  ssa.Instruction
	How    How
	Held   bool
	Holder string // what holds it, when Held: "exec.Cmd.Stdout", "log.New"
	// Outside is set for a store into an object the function did not make
	// (a field of a parameter or of the receiver) that cannot release it.
	Outside bool
	// Handle is set when the holder is a handle a method of the resource
	// returned (client.Bucket(name)): made to keep the resource in use
	// for its own life.
	Handle bool
}

// disposals is Disposals without the lock.
func (r *Result) disposals(v ssa.Value) []Disposal {
	w := &walker{res: r, seen: map[ssa.Value]bool{}}
	w.value(v)
	return w.out
}

// paramDisposals is Disposals for a parameter of a function being
// summarised: an object of the package's own type that keeps the parameter
// but cannot release it holds it; it does not own it.
func (r *Result) paramDisposals(p *ssa.Parameter) []Disposal {
	w := &walker{res: r, seen: map[ssa.Value]bool{}, param: true}
	w.value(p)
	if recv := p.Parent().Signature.Recv(); (recv == nil || p != p.Parent().Params[0]) && !r.carrier(p.Type()) && r.carrierFields(p.Type()) {
		// A struct of settings (New(&Config{Conn: c}), New(Config{...})):
		// what the function does with the resources it reads from the
		// struct's fields is what it does with the struct.
		for _, ld := range fieldReads(p) {
			if r.carrier(ld.Type()) {
				w.value(ld)
			}
		}
	}
	return w.out
}

// fieldReads returns the values read from fields of the struct, or the
// struct pointer, p.
func fieldReads(p ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, ref := range *p.Referrers() {
		switch x := ref.(type) {
		case *ssa.Field:
			if x.X == p {
				out = append(out, x)
			}
		case *ssa.FieldAddr:
			if x.X != p {
				continue
			}
			for _, fr := range *x.Referrers() {
				if ld, ok := fr.(*ssa.UnOp); ok && ld.Op == token.MUL {
					out = append(out, ld)
				}
			}
		case *ssa.Store:
			// A struct parameter spilled to a local (its fields are
			// read through the local's address).
			if a, ok := x.Addr.(*ssa.Alloc); ok && x.Val == p && !a.Heap {
				out = append(out, fieldReads(a)...)
			}
		}
	}
	return out
}

// Releasing reports whether d disposes of the resource for good: it is not
// a held resource that is merely returned or closed through a holder that
// cannot release it.
func (d Disposal) Releasing() bool {
	return !d.Held || d.How == Stored || d.How == Passed || d.How == Captured
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
	seenHeld    map[ssa.Value]bool // values visited only inside a holder
	out         []Disposal
	depth       int
	aliasesOnly bool
	held        bool   // following a holder that cannot release the resource
	holder      string // what holds it
	handle      bool   // the holder is a handle the resource's own method returned
	param       bool   // walking a parameter for a summary
	body        bool   // following a response's Body: reading it to its end releases it
}

func (w *walker) add(instr ssa.Instruction, how How) {
	if w.aliasesOnly {
		return
	}
	if w.held && how == Closed {
		// Closing a holder that cannot release what it holds.
		return
	}
	w.out = append(w.out, Disposal{Instr: instr, How: how, Held: w.held, Holder: w.holder, Handle: w.handle})
}

// hold follows the holder h of the resource: from here on the resource lives
// as long as h and is released only if h is handed to a real owner.
func (w *walker) hold(h ssa.Value, what string) {
	if w.aliasesOnly || h == nil {
		return
	}
	was, wasWhat := w.held, w.holder
	if !w.held {
		w.held, w.holder = true, what
	}
	w.value(h)
	w.held, w.holder = was, wasWhat
}

func (w *walker) value(v ssa.Value) {
	if v == nil || w.seen[v] {
		return
	}
	if w.held {
		// Reached inside a holder that cannot release it: a later visit
		// of the same value outside any holder (the response kept by its
		// stream, after its body went to a bufio.Scanner of that stream)
		// still decides for itself.
		if w.seenHeld[v] {
			return
		}
		if w.seenHeld == nil {
			w.seenHeld = map[ssa.Value]bool{}
		}
		w.seenHeld[v] = true
	} else {
		w.seen[v] = true
	}
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
		case *ssa.Convert:
			if instr.X == v {
				w.value(instr)
			}
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
		case *ssa.Slice:
			// A slice of an array or slice holding it.
			w.value(instr)
		case *ssa.Index:
			// An element of a container holding it.
			if instr.X == v {
				w.value(instr)
			}
		case *ssa.IndexAddr:
			if instr.X == v {
				for _, r := range *instr.Referrers() {
					if u, ok := r.(*ssa.UnOp); ok && u.Op == token.MUL {
						w.value(u)
					}
				}
			}
		case *ssa.Lookup:
			if instr.X == v {
				if instr.CommaOk {
					for _, ex := range extracts(instr, 0) {
						w.value(ex)
					}
				} else {
					w.value(instr)
				}
			}
		case *ssa.Range:
			for _, r := range *instr.Referrers() {
				if next, ok := r.(*ssa.Next); ok {
					for _, ex := range extracts(next, 2) {
						w.value(ex)
					}
					for _, ex := range extracts(next, 1) {
						w.value(ex)
					}
				}
			}
		case *ssa.Return:
			w.add(instr, Returned)
		case *ssa.Store:
			if instr.Val != v {
				continue
			}
			if cell, ok := instr.Addr.(*ssa.Alloc); ok {
				w.cellFrom(cell, v)
			} else {
				w.store(instr)
			}
		case *ssa.MapUpdate:
			if instr.Value == v || instr.Key == v {
				w.add(instr, Stored)
			}
		case *ssa.Send:
			if instr.X == v {
				w.add(instr, Stored)
			}
		case *ssa.Select:
			// Sent by a case of a select: kept by the receiver when that
			// case runs; another case that closes it is its own disposal.
			for _, st := range instr.States {
				if st.Dir == types.SendOnly && st.Send == v {
					w.add(instr, Stored)
					break
				}
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
			// A response is released through its Body: what is loaded
			// from resp.Body is the resource's handle.
			if instr.X == v && IsResponse(v.Type()) && fieldVar(instr) != nil && fieldVar(instr).Name() == "Body" {
				for _, fr := range *instr.Referrers() {
					if u, ok := fr.(*ssa.UnOp); ok && u.Op == token.MUL {
						was := w.body
						w.body = true
						w.value(u)
						w.body = was
					}
				}
			}
		case *ssa.UnOp:
			if fa, ok := v.(*ssa.FieldAddr); ok && instr.Op == token.MUL && embeddedField(fa) {
				w.value(instr)
			}
			if a, ok := v.(*ssa.Alloc); ok && instr.Op == token.MUL && instr.X == v && isStructPtr(a.Type()) {
				// A composite literal copied into a variable
				// (x := T{f: r}): the copy carries the resource.
				w.value(instr)
			} else if !w.aliasesOnly && instr.Op == token.MUL && instr.X == v && isStructPtr(v.Type()) && w.res.canRelease(instr.Type(), 0) {
				// A descriptor copied by value into its new owner
				// (c.fd = *fd): the copy is the resource.
				w.value(instr)
			}
		case ssa.CallInstruction:
			if !w.aliasesOnly {
				w.call(instr, v)
			}
		}
	}
}

// slice follows a slice the resource was put in. A slice of values that
// can be released (net.Conn, io.Closer, a type with a Close) hands each
// element to whoever gets the slice, who ranges over it to close them: the
// slice is followed as the resource itself. Any other slice (a []any of
// arguments) is a holder that cannot release it.
func (w *walker) slice(s ssa.Value) {
	var elem types.Type
	switch t := s.Type().Underlying().(type) {
	case *types.Slice:
		elem = t.Elem()
	case *types.Pointer: // the array behind append's variadic arguments
		if a, ok := t.Elem().Underlying().(*types.Array); ok {
			elem = a.Elem()
		}
	}
	if elem != nil && w.res != nil && w.res.canRelease(elem, 0) {
		w.value(s)
		if ld, ok := s.(*ssa.UnOp); ok && ld.Op == token.MUL {
			if cell, ok := ld.X.(*ssa.Alloc); ok && CellValue(cell) != nil {
				// A slice variable assigned once and captured by a
				// closure lives in a cell: every load of it is the
				// same slice (returned through another load).
				for _, ref := range *cell.Referrers() {
					if other, ok := ref.(*ssa.UnOp); ok && other.Op == token.MUL && other != ld {
						w.value(other)
					}
				}
			}
		}
		return
	}
	w.hold(s, "a slice")
}

// store decides what storing the resource through st does with it. The
// store keeps it when the place outlives the process's interest in it (a
// package-level variable, or what hangs from one), when the owner of the
// place can release it (a field that code of its package closes, an exported
// field whose type lets other packages close it), or when the function
// fills the place lazily (a nil check of the same field: one resource per
// owner). A fresh owner built here is then followed as the resource itself.
// A place that cannot release it (an io.Writer field, a field nothing
// closes) makes its owner a holder.
func (w *walker) store(st *ssa.Store) {
	if w.aliasesOnly {
		return
	}
	root, long := rootOf(st.Addr)
	if long {
		w.add(st, Stored)
		return
	}
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		// A slice element or a pointer's target: an owner we cannot see.
		if ia, ok := st.Addr.(*ssa.IndexAddr); ok && isFreshRoot(root) {
			if ld, ok := ia.X.(*ssa.UnOp); ok && ld.Op == token.MUL {
				if sfa, ok := ld.X.(*ssa.FieldAddr); ok {
					// An element of a slice held in a field
					// (link.stubs[i] = s): the field's owner keeps
					// it, as if it were stored in the field.
					if field := fieldVar(sfa); field != nil {
						w.storeField(st, sfa, field, root)
						return
					}
				}
			}
			w.slice(ia.X)
			return
		}
		if _, isParam := st.Addr.(*ssa.Parameter); isParam && !w.aliasesOnly {
			// *p = T{..., r}: the caller's object keeps it, as in a
			// field of it; unless T can release it, it only holds it
			// (bufio.Reader.reset).
			if pt, ok := st.Addr.Type().Underlying().(*types.Pointer); ok && !w.res.canRelease(pt.Elem(), 0) {
				w.out = append(w.out, Disposal{Instr: st, How: Stored, Held: true, Holder: types.TypeString(pt.Elem(), nil), Outside: true})
				return
			}
		}
		w.add(st, Stored)
		return
	}
	field := fieldVar(fa)
	if field == nil {
		w.add(st, Stored)
		return
	}
	// In a summary, a literal made here has no old value (a constructor
	// that wraps its parameter in a new object and reads the field back
	// holds the parameter, it does not take it).
	_, made := root.(*ssa.Alloc)
	made = made && w.param
	if made && releasesFieldElsewhere(st.Parent(), fa) || !made && readsFieldElsewhere(st.Parent(), fa) {
		// x.f == nil before x.f = create(): one per owner; or the old
		// value is looked at (and, we trust, released) before it is
		// replaced. (An object made here has no old value: its reads
		// of the field read the new one, and only a release of what
		// they read keeps it. An object a call returned may be an
		// existing one, found in a registry.)
		w.add(st, Stored)
		return
	}
	w.storeField(st, fa, field, root)
}

// storeField decides what keeping the resource in field (of the object fa
// addresses, made in this function when root is fresh) does with it.
func (w *walker) storeField(st *ssa.Store, fa *ssa.FieldAddr, field *types.Var, root ssa.Value) {
	releases := w.res.fieldReleased(field, fa.X.Type())
	fresh := isFreshRoot(root)
	switch {
	case releases && fresh:
		// The fresh owner releases it: the owner is now the resource.
		if ld, ok := fa.X.(*ssa.UnOp); ok && ld.Op == token.MUL {
			if pfa, ok := ld.X.(*ssa.FieldAddr); ok {
				if pf := fieldVar(pfa); pf != nil {
					// The owner is itself a field of the new object
					// (h.client.Transport = t): whether that object
					// releases its field decides.
					w.storeField(st, pfa, pf, root)
					return
				}
			}
		}
		owner := fa.X
		for {
			// A field of a struct-valued field (d.net.bind = b): the
			// object that holds the inner struct is the owner.
			inner, ok := owner.(*ssa.FieldAddr)
			if !ok {
				break
			}
			owner = inner.X
		}
		w.owner(owner)
	case releases:
		w.add(st, Stored)
	case fresh && !w.param && localNamed(fa.X.Type(), w.res.pass.Pkg):
		// An object of this package's own type, made here: a service or
		// a session that keeps it for its own life, by the package's
		// design. The object is followed as the resource.
		w.owner(fa.X)
	case fresh:
		w.hold(fa.X, fieldDesc(fa, field))
	default:
		// A field of the caller's object or of the receiver, which
		// cannot release it: it lives as long as that object, which we
		// cannot see. Counted as kept: "someone might own it" would be a
		// guess either way, and a registry (a mux, a table of backends)
		// is the common case. A summary records it as held by the
		// parameter's object (Holds), so that a caller that made that
		// object follows it.
		if !w.aliasesOnly {
			w.out = append(w.out, Disposal{Instr: st, How: Stored, Held: true, Holder: fieldDesc(fa, field), Outside: true})
		}
	}
}

// owner follows the object a resource was stored into. When the object is
// read from a variable that a function literal captures (svr.ln = l, with
// svr used in a closure too), every read of that variable is the object.
func (w *walker) owner(x ssa.Value) {
	if ld, ok := x.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if cell, ok := ld.X.(*ssa.Alloc); ok && cell.Heap {
			if _, ptr := cell.Type().(*types.Pointer).Elem().Underlying().(*types.Pointer); ptr {
				w.cell(cell)
				return
			}
		}
	}
	w.value(x)
}

func fieldDesc(fa *ssa.FieldAddr, f *types.Var) string {
	t := fa.X.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		name := n.Obj().Name()
		if n.Obj().Pkg() != nil {
			name = n.Obj().Pkg().Name() + "." + name
		}
		return name + "." + f.Name()
	}
	return "field " + f.Name()
}

// rootOf walks an address back through field, index and load operations to
// the object it belongs to; long reports a package-level variable (state
// that lives for the process).
func rootOf(v ssa.Value) (root ssa.Value, long bool) {
	for range 32 {
		switch x := v.(type) {
		case *ssa.Global:
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
			if cell, ok := x.X.(*ssa.Alloc); ok {
				if p := cellParam(cell); p != nil {
					// A parameter (the receiver) kept in a variable
					// because a closure captures it.
					return p, false
				}
				if src := cellPointer(cell); src != nil {
					// A pointer variable a closure captures, assigned
					// once (rw := pool.Get().(*T)): the object is
					// what it points to.
					v = src
					continue
				}
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v, false
		}
	}
	return nil, false
}

// cellParam returns the parameter or free variable a local variable cell
// holds, when that is all it is ever assigned.
func cellParam(cell *ssa.Alloc) ssa.Value {
	var p ssa.Value
	for _, ref := range *cell.Referrers() {
		st, ok := ref.(*ssa.Store)
		if !ok || st.Addr != cell {
			continue
		}
		switch st.Val.(type) {
		case *ssa.Parameter, *ssa.FreeVar:
			if p != nil && p != st.Val {
				return nil
			}
			p = st.Val
		default:
			return nil
		}
	}
	return p
}

// CellValue returns the one value a local variable's cell is ever
// assigned, or nil: nil too for the storage of a composite literal or
// new(T), which is the object itself.
func CellValue(cell *ssa.Alloc) ssa.Value {
	switch cell.Comment {
	case "new", "complit", "varargs", "slicelit", "makeslice":
		return nil
	}
	var src ssa.Value
	for _, ref := range *cell.Referrers() {
		st, ok := ref.(*ssa.Store)
		if !ok || st.Addr != cell {
			continue
		}
		if src != nil && src != st.Val {
			return nil
		}
		src = st.Val
	}
	return src
}

// cellPointer returns the one pointer value a local variable's cell is
// ever assigned, or nil.
func cellPointer(cell *ssa.Alloc) ssa.Value {
	if v := CellValue(cell); v != nil {
		if _, ptr := v.Type().Underlying().(*types.Pointer); ptr {
			return v
		}
	}
	return nil
}

// isFreshRoot reports whether the owner root was made in this function: a
// composite literal, new(T), make, or the result of a call.
func isFreshRoot(root ssa.Value) bool {
	switch root.(type) {
	case *ssa.Alloc, *ssa.Call, *ssa.MakeMap, *ssa.MakeSlice, *ssa.Extract:
		return true
	}
	return false
}

func fieldVar(fa *ssa.FieldAddr) *types.Var { return ssair.FieldOf(fa) }

// readsFieldElsewhere reports whether fn loads the field that fa addresses
// (of the same struct type) other than through fa: a lazy initialisation or
// a look at the old value before it is replaced.
func readsFieldElsewhere(fn *ssa.Function, fa *ssa.FieldAddr) bool {
	return fieldLoadElsewhere(fn, fa, func(u *ssa.UnOp) bool { return !onlyAppended(u) })
}

// fieldLoadElsewhere reports whether fn loads, from the same field of an
// object of the same type as fa (another FieldAddr), a value for which ok
// holds.
func fieldLoadElsewhere(fn *ssa.Function, fa *ssa.FieldAddr, ok func(*ssa.UnOp) bool) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			other, isFA := instr.(*ssa.FieldAddr)
			if !isFA || other == fa || other.Field != fa.Field || !types.Identical(other.X.Type(), fa.X.Type()) {
				continue
			}
			for _, r := range *other.Referrers() {
				if u, isLoad := r.(*ssa.UnOp); isLoad && u.Op == token.MUL && ok(u) {
					return true
				}
			}
		}
	}
	return false
}

// releasesFieldElsewhere reports whether fn calls a release method on a
// value it loads from the same field of an object of the same type
// (tcpstate[i].client.Close() after tcpstate[i].client = newClient()).
func releasesFieldElsewhere(fn *ssa.Function, fa *ssa.FieldAddr) bool {
	return fieldLoadElsewhere(fn, fa, func(u *ssa.UnOp) bool {
		for _, ur := range *u.Referrers() {
			call, ok := ur.(ssa.CallInstruction)
			if !ok {
				continue
			}
			com := call.Common()
			switch {
			case com.IsInvoke() && com.Value == ssa.Value(u) && delegateNames[com.Method.Name()]:
				return true
			case !com.IsInvoke() && len(com.Args) > 0 && com.Args[0] == ssa.Value(u):
				if callee := com.StaticCallee(); callee != nil && callee.Signature.Recv() != nil && (releaseNames[callee.Name()] || delegateNames[callee.Name()]) {
					return true
				}
			}
		}
		return false
	})
}

// onlyAppended reports whether the loaded value u is used only as the slice
// an append grows (x.f = append(x.f, v)): that read does not look at what
// the field held.
func onlyAppended(u *ssa.UnOp) bool {
	for _, r := range *u.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			if !ok || b.Name() != "append" || len(r.Call.Args) == 0 || r.Call.Args[0] != u {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// localNamed reports whether t (or what it points to) is a named type
// declared in pkg.
func localNamed(t types.Type, pkg *types.Package) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() == pkg
}

func isStructPtr(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Struct)
	return ok
}

func embeddedField(fa *ssa.FieldAddr) bool { return ssair.EmbeddedField(fa) }

// cell follows a local variable that v is stored in: an Alloc in the
// function that made v, or the FreeVar through which a function literal
// captured that Alloc.
// cellFrom follows the variable cell that v is stored into. A load that
// the same block's own earlier store gives another value (a result cell of
// a function with a defer: return nil, err stores nil before its load) does
// not read v.
func (w *walker) cellFrom(cell *ssa.Alloc, v ssa.Value) {
	if isStructPtr(cell.Type()) {
		w.cell(cell)
		return
	}
	// Each value stored into the cell has loads of its own (return c on
	// two paths of a function with a defer stores two conversions of c
	// into the result cell): the loads are looked at for every stored
	// value, the cell's other uses once.
	first := !w.seen[cell]
	w.seen[cell] = true
	for _, instr := range *cell.Referrers() {
		if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL {
			if last := storeBefore(cell, u); last != nil && last.Val != v && !loadOf(last.Val, cell) {
				continue
			}
			w.value(u)
			continue
		}
		if first {
			w.cellUse(cell, instr)
		}
	}
}

// storeBefore returns the last store into cell before instr in instr's
// block, or nil.
// loadOf reports whether x is a load of cell: return rc, n in a function
// with a defer stores the named result back into its own cell (*rc = *rc)
// before the final load, which still reads what rc held.
func loadOf(x ssa.Value, cell ssa.Value) bool {
	u, ok := x.(*ssa.UnOp)
	return ok && u.Op == token.MUL && u.X == cell
}

// ReturnedValue returns what a return gives as res: res itself or, in a
// function with a defer (which returns through result cells), the value
// the return's own block stored into the cell before loading it.
func ReturnedValue(res ssa.Value) ssa.Value {
	if ld, ok := res.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if _, ok := ld.X.(*ssa.Alloc); ok {
			if st := storeBefore(ld.X, ld); st != nil {
				return st.Val
			}
		}
	}
	return res
}

func storeBefore(cell ssa.Value, instr ssa.Instruction) *ssa.Store {
	var last *ssa.Store
	for _, in := range instr.Block().Instrs {
		if in == instr {
			return last
		}
		if st, ok := in.(*ssa.Store); ok && st.Addr == cell {
			last = st
		}
	}
	return nil
}

func (w *walker) cell(cell ssa.Value) {
	if w.seen[cell] {
		return
	}
	if isStructPtr(cell.Type()) {
		// A struct variable the resource was copied into with its
		// literal (t := T{rt: base}; t.configure(); return &t): the
		// variable is the object, and its methods use it, as they use
		// any object.
		w.value(cell)
		return
	}
	w.seen[cell] = true
	for _, instr := range *cell.Referrers() {
		w.cellUse(cell, instr)
	}
}

func (w *walker) cellUse(cell ssa.Value, instr ssa.Instruction) {
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
			if obj, ok := fn.Object().(*types.Func); ok && w.res.releasesReceiver(obj, true) && !w.held {
				w.add(mc, Captured)
			}
			if w.held || closureEscapes(mc) {
				// A method value keeps v alive: one that leaves the
				// function (returned, stored, handed on) takes v
				// where it goes, as returning v would; of a holder,
				// it is a holder too.
				w.value(mc)
			}
			continue
		}
		if w.depth > 4 {
			w.add(mc, Captured)
			return
		}
		inner := &walker{res: w.res, seen: map[ssa.Value]bool{}, depth: w.depth + 1, held: w.held, holder: w.holder, param: w.param}
		fv := fn.FreeVars[i]
		if _, isCell := v.(*ssa.Alloc); isCell {
			inner.cell(fv)
		} else {
			inner.value(fv)
		}
		for _, d := range inner.out {
			if d.Releasing() {
				w.add(mc, Captured)
				return
			}
		}
	}
	if fn.Synthetic != "" {
		return // a method value: it uses v, it does not take it
	}
	// The literal itself may carry v away. A holder captured by a
	// function literal makes the literal a holder too (a handler built
	// around a client that nothing can close).
	if closureEscapes(mc) {
		for _, b := range mc.Bindings {
			if b == v {
				if w.held {
					w.value(mc)
				} else {
					w.add(mc, Captured)
				}
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

// call handles a call that uses v. A callee owns an argument only where its
// summary says it takes it; a callee without a summary (an interface
// method, a function value, a package without summaries) can own only what
// its parameter's type lets it release: an io.Writer parameter cannot close
// a pipe writer, a net.Conn parameter can close a connection. What it cannot
// own it may still hold in its result (log.New, bufio.NewReader, a wrapper),
// which is then followed as a holder.
func (w *walker) call(instr ssa.CallInstruction, v ssa.Value) {
	c := instr.Common()
	if c.IsInvoke() {
		if c.Value == v {
			if w.res.releasesReceiver(c.Method, false) {
				w.add(instr, Closed)
			}
			if c.Method.Name() == "Done" {
				w.waitDone(instr)
			}
			// Other methods use the object; they do not take it.
		}
		sig := c.Method.Type().(*types.Signature)
		for i, a := range c.Args {
			if a == v {
				w.unknownArg(instr, sig, i)
			}
		}
		return
	}
	if _, ok := instr.(*ssa.Go); ok {
		if c.Value == v || argUses(c, v) {
			w.add(instr, Passed)
		}
		return
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "append" && argUses(c, v) {
			w.slice(instr.Value())
		}
		return
	}
	callee := c.StaticCallee()
	if callee == nil {
		if c.Value == v {
			if isCancelFunc(v.Type()) {
				w.add(instr, Closed) // a context's cancel, called
			}
			return // calling it
		}
		targets := callbackTargets(c.Value)
		for i, a := range c.Args {
			if a != v {
				continue
			}
			if len(targets) > 0 {
				w.callbackArg(instr, targets, i)
				continue
			}
			w.unknownArg(instr, c.Signature(), i)
		}
		return
	}
	obj := funcObject(callee)
	if w.body && (drainsArg(obj, c, v) || drainsParam(callee, c, v, 0)) {
		// Read to its end, a response body gives its connection back.
		w.add(instr, Closed)
		return
	}
	if obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "runtime" && (obj.Name() == "SetFinalizer" || obj.Name() == "AddCleanup") {
		if argUses(c, v) {
			w.add(instr, Finalized)
		}
		return
	}
	if i := ContainerStoreArg(obj); i >= 0 && i < len(c.Args) && c.Args[i] == v {
		// Kept by an atomic.Value, an atomic.Pointer or a sync.Map: as
		// by a field of the object that holds the container.
		w.add(instr, Stored)
		return
	}
	isMethod := callee.Signature.Recv() != nil
	sum, known := w.res.summaryOf(callee)
	for i, a := range c.Args {
		if a != v {
			continue
		}
		if i == 0 && isMethod {
			if w.res.releasesReceiver(obj, true) || known && sum.Ends && !w.held {
				w.add(instr, Closed)
			}
			if obj != nil && obj.Name() == "Done" {
				w.waitDone(instr)
			}
			if obj != nil && obj.Name() == "Write" && IsResponse(v.Type()) {
				// Response.Write sends the body and closes it.
				w.add(instr, Closed)
			}
			if known && sum.ReturnsParam(0) {
				// A copy of the object (client.WithContext(ctx))
				// comes back: it is the object.
				if res := instr.Value(); res != nil && canHold(res.Type()) {
					w.value(res)
				}
			}
			if known && sum.TakesParam(0) && sum.Starts&1 != 0 && !w.held {
				// A method that hands its receiver to a goroutine it
				// starts (s.run() starting go s.loop()): that goroutine
				// is the object's owner from then on.
				w.add(instr, Passed)
			}
			// Any other method of the object uses it; what the method does
			// with its receiver (a back-pointer from a connection it
			// pools) is not a hand-off. A result that keeps the receiver
			// (a handle, client.Bucket(name)) holds it.
			if known && sum.HoldsParam(0) && !w.param && !w.held {
				if res := instr.Value(); res != nil && canHold(res.Type()) {
					w.handle = true
					w.holdResult(res, calleeName(callee))
					w.handle = false
				}
			}
			continue
		}
		switch {
		case known && sum.TakesParam(i):
			w.add(instr, Passed)
		case known && sum.ReturnsParam(i):
			// Handed back: the results are the argument.
			if res := instr.Value(); res != nil {
				if _, ok := res.Type().(*types.Tuple); ok {
					for _, ref := range *res.Referrers() {
						if ex, ok := ref.(*ssa.Extract); ok && canHold(ex.Type()) {
							w.value(ex)
						}
					}
				} else {
					w.value(res)
				}
			}
		case known && sum.HoldsParam(i):
			if res := instr.Value(); res != nil && canHold(res.Type()) {
				w.holdResult(res, calleeName(callee))
			}
			if isMethod && i > 0 {
				if _, long := rootOf(c.Args[0]); long {
					// Kept by a package-level object (logrus's standard
					// logger): for the life of the process.
					w.add(instr, Stored)
				} else {
					w.hold(c.Args[0], calleeName(callee))
				}
			}
		case known && !w.res.mayHold(paramType(callee.Signature, i)):
			// A parameter the summary does not describe (a slice of
			// io.Writer, as io.MultiWriter takes): its result may keep
			// it; kept by a package-level variable (a framework's
			// default writer), it lives as long as the process.
			if res := instr.Value(); res != nil && storedLongLived(res, 0) {
				w.add(instr, Stored)
			}
		case known:
		default:
			w.unknownArg(instr, c.Signature(), i)
		}
	}
}

// waitDone handles x.Done() called on the resource: a receive from the
// channel it returns waits until the value is done (its stop has run, its
// goroutine has ended), which ends its life on the paths after the wait.
func (w *walker) waitDone(instr ssa.CallInstruction) {
	res := instr.Value()
	if res == nil || w.held {
		return
	}
	if _, isChan := res.Type().Underlying().(*types.Chan); !isChan {
		return
	}
	for _, ref := range *res.Referrers() {
		if u, ok := ref.(*ssa.UnOp); ok && u.Op == token.ARROW {
			w.add(u, Closed)
		}
	}
}

// storedLongLived reports whether v is stored, as it is or converted, into
// a package-level variable or what hangs from one.
func storedLongLived(v ssa.Value, depth int) bool {
	if depth > 3 || v.Referrers() == nil {
		return false
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Val == v {
				if _, long := rootOf(r.Addr); long {
					return true
				}
			}
		case *ssa.MakeInterface, *ssa.ChangeType, *ssa.ChangeInterface:
			if storedLongLived(r.(ssa.Value), depth+1) {
				return true
			}
		}
	}
	return false
}

// paramType returns the type of the parameter that argument i of a static
// call of a function of signature sig binds (the receiver is argument 0 of
// a method).
func paramType(sig *types.Signature, i int) types.Type {
	if sig.Recv() != nil {
		if i == 0 {
			return sig.Recv().Type()
		}
		i--
	}
	if i < sig.Params().Len() {
		return sig.Params().At(i).Type()
	}
	return nil
}

// isCancelFunc reports whether t is a context's cancel function type
// (context.CancelFunc, CancelCauseFunc) or the func() a field keeps one in.
func isCancelFunc(t types.Type) bool {
	if typeis.Named(t, "context", "CancelFunc") || typeis.Named(t, "context", "CancelCauseFunc") {
		return true
	}
	sig, ok := t.Underlying().(*types.Signature)
	return ok && sig.Params().Len() == 0 && sig.Results().Len() == 0 && sig.Recv() == nil
}

// CancelOf returns the cancel function that call, a call of
// context.WithCancel, WithCancelCause, WithTimeout or WithDeadline (or
// their Cause variants), returns, or nil.
func CancelOf(call *ssa.Call) ssa.Value {
	obj := funcObject(call.Call.StaticCallee())
	if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "context" {
		return nil
	}
	switch obj.Name() {
	case "WithCancel", "WithCancelCause", "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause":
	default:
		return nil
	}
	for _, ex := range extracts(call, 1) {
		return ex
	}
	return nil
}

// ContainerStoreArg returns the index (counting the receiver as 0) of the
// argument that the method obj keeps when obj stores into a concurrent
// container: atomic.Value's and atomic.Pointer's Store, Swap and
// CompareAndSwap, sync.Map's Store, Swap, LoadOrStore and CompareAndSwap;
// -1 for any other function.
func ContainerStoreArg(obj *types.Func) int {
	if obj == nil || obj.Pkg() == nil {
		return -1
	}
	recv := obj.Signature().Recv()
	if recv == nil {
		return -1
	}
	switch {
	case typeis.NamedOrPointer(recv.Type(), "sync/atomic", "Value"), typeis.NamedOrPointer(recv.Type(), "sync/atomic", "Pointer"):
		switch obj.Name() {
		case "Store", "Swap":
			return 1
		case "CompareAndSwap":
			return 2
		}
	case typeis.NamedOrPointer(recv.Type(), "sync", "Map"):
		switch obj.Name() {
		case "Store", "Swap", "LoadOrStore", "CompareAndSwap":
			return 2
		}
	}
	return -1
}

// drainsArg reports whether the call c of obj reads v to its end: v is the
// reader of io.ReadAll (ioutil.ReadAll), or the source of io.Copy or
// io.CopyBuffer.
func drainsArg(obj *types.Func, c *ssa.CallCommon, v ssa.Value) bool {
	if obj == nil || obj.Pkg() == nil || obj.Signature().Recv() != nil {
		return false
	}
	i := -1
	switch obj.Pkg().Path() + "." + obj.Name() {
	case "io.ReadAll", "io/ioutil.ReadAll":
		i = 0
	case "io.Copy", "io.CopyBuffer":
		i = 1
	}
	return i >= 0 && i < len(c.Args) && (c.Args[i] == v || ssair.Unconvert(c.Args[i]) == v)
}

// drainsParam reports whether callee, a function of the package under
// analysis (its body is at hand), reads the argument v of the call c to its
// end before it can return: it passes its parameter straight to a reader
// that drains it (io.ReadAll) or to another such function, in a block that
// every return comes after.
func drainsParam(callee *ssa.Function, c *ssa.CallCommon, v ssa.Value, depth int) bool {
	if callee == nil || len(callee.Blocks) == 0 || callee.Synthetic != "" || depth > 2 || len(callee.Params) != len(c.Args) {
		return false
	}
	i := -1
	for j, a := range c.Args {
		if a == v || ssair.Unconvert(a) == v {
			i = j
		}
	}
	if i < 0 {
		return false
	}
	p := callee.Params[i]
	for _, ref := range *p.Referrers() {
		call, ok := ref.(*ssa.Call)
		if !ok {
			continue
		}
		inner := call.Common()
		drains := drainsArg(ssair.FuncObject(inner.StaticCallee()), inner, p)
		if !drains {
			if g := inner.StaticCallee(); g != nil && g.Pkg == callee.Pkg {
				drains = drainsParam(g, inner, p, depth+1)
			}
		}
		if drains && beforeEveryReturn(call) {
			return true
		}
	}
	return false
}

// beforeEveryReturn reports whether instr's block dominates every block of
// its function that returns.
func beforeEveryReturn(instr ssa.Instruction) bool {
	b := instr.Block()
	for _, rb := range b.Parent().Blocks {
		if _, ok := rb.Instrs[len(rb.Instrs)-1].(*ssa.Return); ok && !b.Dominates(rb) {
			return false
		}
	}
	return true
}

// unknownArg handles v passed as argument i of a call about which nothing
// is known but its signature (i counts the receiver of a static method call
// as 0, as SSA does; sig's parameters do not include it for invokes).
// callbackTargets returns the functions a call of f may run when f is a
// function-typed parameter of a function and every call of that function
// in its package passes a function literal or a function of the package
// for it (NewServer(kind, func(s Server) error { c.server = s; ... })); nil
// otherwise. The package's own calls show what the callback is for, as
// far as anyone can see: callers elsewhere are not assumed to differ.
func callbackTargets(f ssa.Value) []*ssa.Function {
	if fv, ok := f.(*ssa.FreeVar); ok {
		f = goflow.Binding(fv)
	}
	p, ok := f.(*ssa.Parameter)
	if !ok {
		return nil
	}
	fn := p.Parent()
	if fn == nil || fn.Parent() != nil {
		return nil
	}
	j := slices.Index(fn.Params, p)
	sites, _ := reqscope.Callers(fn)
	if j < 0 || len(sites) == 0 {
		return nil
	}
	var out []*ssa.Function
	for _, site := range sites {
		args := site.Common().Args
		if site.Common().IsInvoke() || j >= len(args) {
			return nil
		}
		switch a := args[j].(type) {
		case *ssa.MakeClosure:
			g, ok := a.Fn.(*ssa.Function)
			if !ok {
				return nil
			}
			out = append(out, g)
		case *ssa.Function:
			out = append(out, a)
		default:
			return nil
		}
	}
	return out
}

// callbackArg decides what handing the resource as argument i of a call of
// a callback does, from what every function the callback may be does with
// that parameter: taken by all, it is passed; kept by each (a field of the
// object the literal captures), it is kept, as in a field of the caller's
// object; otherwise nothing is known and it is judged by its type.
func (w *walker) callbackArg(instr ssa.CallInstruction, targets []*ssa.Function, i int) {
	takes, keeps := true, true
	for _, g := range targets {
		sum, known := w.res.summaryOf(g)
		if !known {
			takes, keeps = false, false
			break
		}
		takes = takes && sum.TakesParam(i)
		keeps = keeps && (sum.TakesParam(i) || sum.HoldsParam(i))
	}
	switch {
	case takes:
		w.add(instr, Passed)
	case keeps && !w.aliasesOnly:
		w.out = append(w.out, Disposal{Instr: instr, How: Stored, Held: true, Holder: "the callback", Outside: true})
	default:
		w.unknownArg(instr, instr.Common().Signature(), i)
	}
}

func (w *walker) unknownArg(instr ssa.CallInstruction, sig *types.Signature, i int) {
	c := instr.Common()
	pi := i
	if !c.IsInvoke() && sig.Recv() != nil {
		pi = i - 1
	}
	var pt types.Type
	if params := sig.Params(); pi >= 0 {
		switch {
		case pi < params.Len()-1 || pi < params.Len() && !sig.Variadic():
			pt = params.At(pi).Type()
		case params.Len() > 0 && sig.Variadic():
			if s, ok := params.At(params.Len() - 1).Type().Underlying().(*types.Slice); ok {
				pt = s.Elem()
			}
		}
	}
	if pt == nil || w.res.canRelease(pt, 0) {
		w.add(instr, Passed)
		return
	}
	if res := instr.Value(); res != nil && canHold(res.Type()) {
		name := "the call"
		if callee := c.StaticCallee(); callee != nil {
			name = calleeName(callee)
		} else if c.IsInvoke() {
			name = c.Method.Name()
		}
		w.holdResult(res, name)
	}
}

// holdResult follows the result of a call that keeps the resource without
// owning it: the result itself, or each result of a tuple that can hold it
// (b, err := newBackend(client)).
func (w *walker) holdResult(res ssa.Value, name string) {
	if _, ok := res.Type().(*types.Tuple); !ok {
		w.hold(res, name)
		return
	}
	for _, ref := range *res.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && canHold(ex.Type()) {
			w.hold(ex, name)
		}
	}
}

// canHold reports whether a value of type t can keep a reference to an
// argument: pointers, structs, interfaces other than error, containers and
// functions; not strings, numbers or errors.
func canHold(t types.Type) bool {
	if types.Identical(t, types.Universe.Lookup("error").Type()) {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return false
	case *types.Tuple:
		for v := range u.Variables() {
			if canHold(v.Type()) {
				return true
			}
		}
		return false
	}
	return true
}

func calleeName(fn *ssa.Function) string {
	if obj := funcObject(fn); obj != nil {
		if obj.Pkg() != nil {
			if recv := obj.Signature().Recv(); recv != nil {
				t := recv.Type()
				if p, ok := t.(*types.Pointer); ok {
					t = p.Elem()
				}
				if n, ok := types.Unalias(t).(*types.Named); ok {
					return obj.Pkg().Name() + "." + n.Obj().Name() + "." + obj.Name()
				}
			}
			return obj.Pkg().Name() + "." + obj.Name()
		}
	}
	return fn.Name()
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
	if fn == nil || !declared(ssair.Origin(fn)) {
		return nil
	}
	return ssair.FuncObject(fn)
}

// declared reports whether fn is a declared function or method (from source
// or from export data), not a wrapper, thunk or initializer.
func declared(fn *ssa.Function) bool {
	// Functions of packages the program holds only as types are made
	// "from type information (on demand)" when first called: the methods
	// of an indirect dependency (backoff's Ticker.Stop reached through a
	// helper that returns one).
	return fn.Synthetic == "" || strings.HasPrefix(fn.Synthetic, "loaded from") || strings.HasPrefix(fn.Synthetic, "from type information")
}

// FuncObject returns the declared function of an SSA function (for generic
// instances, their origin), or nil for synthetic functions and literals.
func FuncObject(fn *ssa.Function) *types.Func { return funcObject(fn) }
