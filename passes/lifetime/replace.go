package lifetime

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/ssair"
)

// overwrites is Overwrites without the lock.
func (r *Result) overwrites(st *ssa.Store) bool {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	if _, fresh := fa.X.(*ssa.Alloc); fresh {
		return false // initialising a new object
	}
	if newObject(fa.X) {
		return false // x := newT(); x.f = r: a constructor's new object
	}
	if madeBefore(fa.X, st) {
		return false // x = &T{}; x.f = r: a new object, read back from its variable
	}
	fn := st.Parent()
	if r.callersGuard(fn, fa) {
		return false // if s.f == nil { s.init() }: lazy, once per object
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			other, ok := instr.(*ssa.FieldAddr)
			if !ok || other == fa || other.Field != fa.Field || !types.Identical(other.X.Type(), fa.X.Type()) {
				continue
			}
			for _, ref := range *other.Referrers() {
				ld, ok := ref.(*ssa.UnOp)
				if !ok || ld.Op != token.MUL {
					continue
				}
				if NilGuards(ld, st) || r.dealsWithOld(ld, st.Val) {
					return false
				}
			}
		}
	}
	if r.releasedByCallBefore(fa, st) {
		return false
	}
	return true
}

// releasedByCallBefore reports whether, before the store st into the field
// fa addresses, the function calls a method of the package on the same
// object whose body releases what that field holds (s.Stop() stopping
// s.srv, then s.srv = newServer()).
func (r *Result) releasedByCallBefore(fa *ssa.FieldAddr, st *ssa.Store) bool {
	return r.releasedByMethodBefore(fa.X, fa, st)
}

// releasedByMethodBefore reports whether, before instr, the function calls
// a method of the package on obj whose body releases what the field fa
// addresses holds (s.closeFile(), then a call that sets s.f again).
func (r *Result) releasedByMethodBefore(obj ssa.Value, fa *ssa.FieldAddr, st ssa.Instruction) bool {
	for _, b := range st.Parent().Blocks {
		if !b.Dominates(st.Block()) {
			continue
		}
		for _, instr := range b.Instrs {
			if instr == st {
				break
			}
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.IsInvoke() || len(call.Call.Args) == 0 {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil || callee.Pkg != st.Parent().Pkg || callee.Blocks == nil || callee.Signature.Recv() == nil || len(callee.Params) == 0 {
				continue
			}
			if !sameBase(call.Call.Args[0], obj) && call.Call.Args[0] != obj {
				continue
			}
			if r.methodReleasesField(callee, fa, 0) {
				return true
			}
		}
	}
	return false
}

// methodReleasesField reports whether the method m releases (or hands on)
// what field fa.Field of its receiver holds, itself or through another
// method of the package it calls on the receiver.
func (r *Result) methodReleasesField(m *ssa.Function, fa *ssa.FieldAddr, depth int) bool {
	if depth > 2 {
		return false
	}
	recv := m.Params[0]
	for _, b := range m.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.FieldAddr:
				if x.Field != fa.Field || !types.Identical(x.X.Type(), fa.X.Type()) || !IsParamOrSpill(x.X, recv) {
					continue
				}
				for _, ref := range *x.Referrers() {
					if ld, ok := ref.(*ssa.UnOp); ok && ld.Op == token.MUL && r.releasesOld(ld, 0) {
						return true
					}
				}
			case *ssa.Call:
				callee := x.Call.StaticCallee()
				if x.Call.IsInvoke() || callee == nil || callee == m || callee.Pkg != m.Pkg || callee.Blocks == nil || callee.Signature.Recv() == nil || len(x.Call.Args) == 0 || !IsParamOrSpill(x.Call.Args[0], recv) {
					continue
				}
				if r.methodReleasesField(callee, fa, depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// callersGuard reports whether fn, a method storing into the field fa of
// its receiver, is called in its package only where that field of the
// object it is called on is nil (if s.c == nil { s.init() }), or after the
// caller released what it held (if s.cancel != nil { s.cancel() };
// s.start()).
func (r *Result) callersGuard(fn *ssa.Function, fa *ssa.FieldAddr) bool {
	if r == nil || r.ir == nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 || !IsParamOrSpill(fa.X, fn.Params[0]) {
		return false
	}
	calls := 0
	for _, f := range r.ir.SrcFuncs() {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok || call.Common().StaticCallee() != fn || len(call.Common().Args) == 0 {
					continue
				}
				calls++
				recv := call.Common().Args[0]
				if !fieldNilGuarded(recv, fa.Field, instr) && !r.fieldReleasedBefore(recv, fa, instr) && !r.releasedByMethodBefore(recv, fa, instr) && !freshWithout(recv, fa.Field, instr) {
					return false
				}
			}
		}
	}
	return calls > 0
}

// freshWithout reports whether obj, the receiver of the call instr, is an
// object made new in the calling function (a composite literal, new(T), a
// constructor of the package returning one) whose field i is not set before
// the call: x := &T{...}; x.init() fills an empty field.
func freshWithout(obj ssa.Value, i int, instr ssa.Instruction) bool {
	obj = ssair.Unconvert(obj)
	alloc, ok := obj.(*ssa.Alloc)
	if !ok {
		return newObject(obj) || madeBefore(obj, instr)
	}
	for _, ref := range *alloc.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fa.Field != i {
			continue
		}
		for _, use := range *fa.Referrers() {
			if st, ok := use.(*ssa.Store); ok && st.Addr == fa {
				if k, ok := st.Val.(*ssa.Const); !ok || !k.IsNil() {
					return false
				}
			}
		}
	}
	return true
}

// IsParamOrSpill reports whether v is p, or a load of the cell p is
// spilled to because a closure captures it.
func IsParamOrSpill(v ssa.Value, p *ssa.Parameter) bool {
	if v == p {
		return true
	}
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	cell, ok := ld.X.(*ssa.Alloc)
	if !ok || cell.Referrers() == nil {
		return false
	}
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell && st.Val == p {
			return true
		}
	}
	return false
}

// fieldNilGuarded reports whether instr runs only where field i of obj,
// read in instr's function, is nil.
func fieldNilGuarded(obj ssa.Value, i int, instr ssa.Instruction) bool {
	for _, b := range instr.Parent().Blocks {
		for _, in := range b.Instrs {
			fa, ok := in.(*ssa.FieldAddr)
			if !ok || fa.Field != i || fa.Referrers() == nil || !sameBase(fa.X, obj) {
				continue
			}
			for _, fr := range *fa.Referrers() {
				if ld, ok := fr.(*ssa.UnOp); ok && ld.Op == token.MUL && NilGuards(ld, instr) {
					return true
				}
			}
		}
	}
	return false
}

// fieldReleasedBefore reports whether, before instr, its function releases
// what field fa.Field of obj holds: a load of that field whose release runs
// before instr (RunsBefore).
func (r *Result) fieldReleasedBefore(obj ssa.Value, fa *ssa.FieldAddr, instr ssa.Instruction) bool {
	for _, b := range instr.Parent().Blocks {
		for _, in := range b.Instrs {
			other, ok := in.(*ssa.FieldAddr)
			if !ok || other.Field != fa.Field || !types.Identical(other.X.Type(), fa.X.Type()) || !sameBase(other.X, obj) {
				continue
			}
			for _, ref := range *other.Referrers() {
				ld, ok := ref.(*ssa.UnOp)
				if !ok || ld.Op != token.MUL {
					continue
				}
				for _, rel := range r.oldReleases(ld, 0) {
					if RunsBefore(rel, instr) {
						return true
					}
				}
			}
		}
	}
	return false
}

// nilTested returns x when cmp is x == nil or x != nil (either way round),
// or nil.
func nilTested(cmp *ssa.BinOp) ssa.Value {
	if cmp.Op != token.EQL && cmp.Op != token.NEQ {
		return nil
	}
	if k, ok := cmp.Y.(*ssa.Const); ok && k.IsNil() {
		return cmp.X
	}
	if k, ok := cmp.X.(*ssa.Const); ok && k.IsNil() {
		return cmp.Y
	}
	return nil
}

// RunsBefore reports whether a runs before b on every path to b: its block
// dominates b's (earlier in the block when they share it), or it is the
// body of a branch around nothing else (if x != nil { x.Close() }) whose
// test and join both dominate b.
func RunsBefore(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil || ab.Parent() != bb.Parent() {
		return false
	}
	if ab == bb {
		for _, in := range ab.Instrs {
			if in == a {
				return true
			}
			if in == b {
				return false
			}
		}
		return false
	}
	if ab.Dominates(bb) {
		return true
	}
	if len(ab.Preds) != 1 || len(ab.Succs) != 1 {
		return false
	}
	head, join := ab.Preds[0], ab.Succs[0]
	return len(head.Succs) == 2 && (head.Succs[0] == join || head.Succs[1] == join) && head.Dominates(bb) && join.Dominates(bb)
}

// sameBase reports whether a and b denote the same object: one value, or
// two loads of one variable (a receiver a closure captures is spilled to a
// cell, and each use loads it anew).
func sameBase(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if !ok1 || !ok2 || la.Op != token.MUL || lb.Op != token.MUL {
		return false
	}
	switch la.X.(type) {
	case *ssa.Alloc, *ssa.FreeVar:
		return la.X == lb.X
	}
	return false
}

// newObject reports whether v is the result of a call of a function of the
// same package that returns a new object on every path (a constructor).
func newObject(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok || call.Call.IsInvoke() {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Blocks == nil || callee.Pkg != call.Parent().Pkg {
		return false
	}
	any := false
	for _, b := range callee.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		if _, isAlloc := ret.Results[0].(*ssa.Alloc); !isAlloc {
			return false
		}
		any = true
	}
	return any
}

// madeBefore reports whether obj, the object a field is stored into, is a
// load of a variable (a package-level one, or a local cell) that the same
// function set to a new object on every path to the store.
func madeBefore(obj ssa.Value, st ssa.Instruction) bool {
	u, ok := obj.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return false
	}
	switch u.X.(type) {
	case *ssa.Global, *ssa.Alloc:
	default:
		return false
	}
	var sets []*ssa.Store // a Global has no referrers: look in the function
	for _, b := range st.Parent().Blocks {
		for _, in := range b.Instrs {
			if set, ok := in.(*ssa.Store); ok && set.Addr == u.X {
				sets = append(sets, set)
			}
		}
	}
	for _, set := range sets {
		if _, fresh := set.Val.(*ssa.Alloc); !fresh {
			continue
		}
		if set.Block() == st.Block() {
			for _, in := range st.Block().Instrs {
				if in == set {
					return true
				}
				if in == st {
					break
				}
			}
		} else if set.Block().Dominates(st.Block()) {
			return true
		}
	}
	return false
}

// releasesOld reports whether the old value ld, or a field of it, is
// released or handed on.
func (r *Result) releasesOld(ld ssa.Value, depth int) bool {
	return len(r.oldReleases(ld, depth)) > 0
}

// oldReleases returns the instructions that release or hand on the old
// value ld, or a field of it.
func (r *Result) oldReleases(ld ssa.Value, depth int) []ssa.Instruction {
	var out []ssa.Instruction
	for _, d := range r.disposals(ld) {
		if depth > 0 && d.How == Stored {
			// A part of the old value moved into the new one
			// (n.remote = old.remote) is shared, not released: it
			// says nothing of the rest of the old value.
			continue
		}
		if d.Releasing() && d.How != Returned || d.How == Closed {
			out = append(out, d.Instr)
		}
	}
	if depth > 0 || ld.Referrers() == nil {
		return out
	}
	for _, ref := range *ld.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, fref := range *fa.Referrers() {
			if u, ok := fref.(*ssa.UnOp); ok && u.Op == token.MUL {
				out = append(out, r.oldReleases(u, depth+1)...)
			}
		}
	}
	return out
}

// dealsWithOld reports whether the function releases or hands on the old
// value old that nw replaces, on the paths that replace it: some release of
// it does not run only where a field of old differs from the same field of
// nw. "if old.appender != nw.appender { old.Cancel() }" keeps the old value,
// with everything else it holds, whenever the two share that part.
func (r *Result) dealsWithOld(old, nw ssa.Value) bool {
	return r.sharedPart(old, nw) == "" && r.releasesOld(old, 0)
}

// sharedPart returns the name of the field of old whose equality with nw's
// keeps every release of old from running, or "".
func (r *Result) sharedPart(old, nw ssa.Value) string {
	rels := r.oldReleases(old, 0)
	shared := ""
	for _, instr := range rels {
		f := onlyWhereFieldsDiffer(instr, old, nw)
		if f == "" {
			return ""
		}
		shared = f
	}
	return shared
}

// onlyWhereFieldsDiffer returns the name of a field f when instr runs only
// where f of old and f of nw differ: a block dominating instr's ends in
// "if old.f != nw.f" (or ==, on its else) whose branch towards instr only
// that test leads to; "" otherwise.
func onlyWhereFieldsDiffer(instr ssa.Instruction, old, nw ssa.Value) string {
	if nw == nil {
		return ""
	}
	olds, nws := Aliases(old), Aliases(ssair.Unconvert(nw))
	for b := instr.Block(); b != nil; b = b.Idom() {
		idom := b.Idom()
		if idom == nil || len(idom.Instrs) == 0 {
			break
		}
		ifi, ok := idom.Instrs[len(idom.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.EQL && cmp.Op != token.NEQ || !fieldsOf(cmp.X, cmp.Y, olds, nws) && !fieldsOf(cmp.Y, cmp.X, olds, nws) {
			continue
		}
		differ := idom.Succs[0] // the true branch of !=
		if cmp.Op == token.EQL {
			differ = idom.Succs[1]
		}
		if len(differ.Preds) == 1 && differ.Dominates(instr.Block()) {
			if f := fieldVar(loadedField(cmp.X)); f != nil {
				return f.Name()
			}
			return "?"
		}
	}
	return ""
}

// fieldsOf reports whether a and b are loads of the same field, a of an
// alias of the old value and b of the new.
func fieldsOf(a, b ssa.Value, olds, nws map[ssa.Value]bool) bool {
	fa, fb := loadedField(a), loadedField(b)
	if fa == nil || fb == nil || fa.Field != fb.Field {
		return false
	}
	return olds[fa.X] && nws[fb.X]
}

func loadedField(v ssa.Value) *ssa.FieldAddr {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		fa, _ := u.X.(*ssa.FieldAddr)
		return fa
	}
	return nil
}

// overwritesContainer is OverwritesContainer without the lock.
func (r *Result) overwritesContainer(call ssa.CallInstruction) bool {
	c := call.Common()
	callee := c.StaticCallee()
	obj := funcObject(callee)
	if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "sync/atomic" || len(c.Args) < 2 {
		return false // a sync.Map entry is per key: a registry, not one slot
	}
	switch obj.Name() {
	case "Swap":
		// The old value is the result: dropped unless released or
		// handed on (or only ever nil).
		res := call.Value()
		return res != nil && !r.dealsWithOld(res, c.Args[1])
	case "Store":
	default:
		return false
	}
	addr := c.Args[0]
	if _, fresh := addr.(*ssa.Alloc); fresh {
		return false
	}
	if fa, ok := addr.(*ssa.FieldAddr); ok {
		if _, fresh := fa.X.(*ssa.Alloc); fresh || newObject(fa.X) || madeBefore(fa.X, call) {
			return false // the container of a new object: its first value
		}
	}
	for _, old := range r.containerReads(call.Parent(), addr) {
		for a := range Aliases(old) {
			if NilGuards(a, call) {
				return false // if old == nil { v.Store(new) }: lazy, once
			}
		}
		if r.dealsWithOld(old, c.Args[1]) {
			return false
		}
	}
	return true
}

// containerReads returns the values fn reads from the container addr
// addresses (another access to the same field of the same type, or to the
// same package-level variable): results of its Load, Swap and LoadAndDelete,
// directly or through a function of the package that returns what it loads
// from that field of its first parameter (s.state() returning
// s.v.Load().(*T)).
func (r *Result) containerReads(fn *ssa.Function, addr ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || call.Value() == nil {
				continue
			}
			c := call.Common()
			callee := c.StaticCallee()
			if callee == nil || len(c.Args) == 0 {
				continue
			}
			if containerLoad(funcObject(callee)) {
				if sameContainer(c.Args[0], addr) {
					out = append(out, call.Value())
				}
				continue
			}
			if callee.Pkg != fn.Pkg || callee.Blocks == nil || len(callee.Params) == 0 {
				continue
			}
			fa, ok := addr.(*ssa.FieldAddr)
			if !ok || !sameBase(ssair.Unconvert(c.Args[0]), fa.X) {
				continue
			}
			if returnsContainerLoad(callee, fa) {
				out = append(out, call.Value())
			}
		}
	}
	return out
}

// containerLoad reports whether obj reads an atomic.Value's or an
// atomic.Pointer's value.
func containerLoad(obj *types.Func) bool {
	if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "sync/atomic" || obj.Signature().Recv() == nil {
		return false
	}
	recv := obj.Signature().Recv().Type()
	if !typeis.NamedOrPointer(recv, "sync/atomic", "Value") && !typeis.NamedOrPointer(recv, "sync/atomic", "Pointer") {
		return false
	}
	return obj.Name() == "Load" || obj.Name() == "Swap"
}

// sameContainer reports whether a and b address the same container: one
// value, the same field of one object, or the same package-level variable.
func sameContainer(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	if ok1 && ok2 {
		return fa.Field == fb.Field && types.Identical(fa.X.Type(), fb.X.Type()) && (sameBase(fa.X, fb.X) || isParamOrLoad(fa.X) && isParamOrLoad(fb.X))
	}
	return false
}

// isParamOrLoad reports whether v is a parameter or a load of one (the
// receiver, maybe through a closure's cell): two such objects of one type in
// a method are, as the field-overwrite rule assumes, the receiver.
func isParamOrLoad(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Parameter, *ssa.FreeVar:
		return true
	case *ssa.UnOp:
		return v.Op == token.MUL
	}
	return false
}

// returnsContainerLoad reports whether fn returns, on some path, what it
// loads from field fa.Field of its first parameter's object.
func returnsContainerLoad(fn *ssa.Function, fa *ssa.FieldAddr) bool {
	p := fn.Params[0]
	var loads []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || call.Value() == nil || !containerLoad(funcObject(call.Common().StaticCallee())) {
				continue
			}
			if f, ok := call.Common().Args[0].(*ssa.FieldAddr); ok && f.Field == fa.Field && IsParamOrSpill(f.X, p) && types.Identical(f.X.Type(), fa.X.Type()) {
				loads = append(loads, call.Value())
			}
		}
	}
	for _, ld := range loads {
		for a := range Aliases(ld) {
			if a.Referrers() == nil {
				continue
			}
			for _, ref := range *a.Referrers() {
				if _, ok := ref.(*ssa.Return); ok {
					return true
				}
			}
		}
	}
	return false
}

// NilGuards reports whether instr runs only where the value v (a load of a
// field, a container's Load) is nil: instr's block is dominated by the
// branch of "v == nil" (or "v != nil"'s else) that only that test leads to.
func NilGuards(v ssa.Value, instr ssa.Instruction) bool {
	if v.Referrers() == nil {
		return false
	}
	for _, ref := range *v.Referrers() {
		cmp, ok := ref.(*ssa.BinOp)
		if !ok || nilTested(cmp) == nil {
			continue
		}
		for _, cr := range *cmp.Referrers() {
			ifi, ok := cr.(*ssa.If)
			if !ok || ifi.Cond != cmp {
				continue
			}
			succ := ifi.Block().Succs[0] // the true branch
			if cmp.Op == token.NEQ {
				succ = ifi.Block().Succs[1]
			}
			if len(succ.Preds) == 1 && succ.Dominates(instr.Block()) {
				return true
			}
		}
	}
	return false
}

// sharedReplacedPart is SharedReplacedPart without the lock.
func (r *Result) sharedReplacedPart(instr ssa.Instruction) string {
	if st, ok := instr.(*ssa.Store); ok {
		fa, ok := st.Addr.(*ssa.FieldAddr)
		if !ok {
			return ""
		}
		for _, b := range st.Parent().Blocks {
			for _, in := range b.Instrs {
				other, ok := in.(*ssa.FieldAddr)
				if !ok || other == fa || other.Field != fa.Field || !types.Identical(other.X.Type(), fa.X.Type()) {
					continue
				}
				for _, ref := range *other.Referrers() {
					if ld, ok := ref.(*ssa.UnOp); ok && ld.Op == token.MUL {
						if f := r.sharedPart(ld, st.Val); f != "" {
							return f
						}
					}
				}
			}
		}
		return ""
	}
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return ""
	}
	c := call.Common()
	if len(c.Args) < 2 {
		return ""
	}
	if res := call.Value(); res != nil && funcObject(c.StaticCallee()).Name() == "Swap" {
		return r.sharedPart(res, c.Args[1])
	}
	for _, old := range r.containerReads(call.Parent(), c.Args[0]) {
		if f := r.sharedPart(old, c.Args[1]); f != "" {
			return f
		}
	}
	return ""
}
