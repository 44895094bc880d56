package locks

import (
	"go/token"
	"go/types"
	"maps"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A Ref names a mutex, a collection, a metric or any other value by where it
// lives: ID is unique (package-path qualified), Display is for messages.
type Ref struct {
	ID      string
	Display string
}

// Name names v by its root and field path: a field of a parameter, free
// variable or local of named type T is "T.f" whatever the function, a
// package-level variable is "pkg.v" with its fields after it. Loads,
// conversions and address-taking are looked through. ok is false for values
// that have no stable name (results of calls, arithmetic, ...); they get a
// name unique to the SSA value.
func Name(v ssa.Value) (ref Ref, ok bool) {
	return name(v, 0)
}

func name(v ssa.Value, depth int) (Ref, bool) {
	if depth > 16 {
		return unique(v), false
	}
	switch v := v.(type) {
	case *ssa.FieldAddr:
		base, ok := name(v.X, depth+1)
		return field(base, v.X.Type(), v.Field), ok || namedStruct(v.X.Type())
	case *ssa.Field:
		base, ok := name(v.X, depth+1)
		return field(base, v.X.Type(), v.Field), ok || namedStruct(v.X.Type())
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return name(v.X, depth+1)
		}
	case *ssa.ChangeType:
		return name(v.X, depth+1)
	case *ssa.MakeInterface:
		return name(v.X, depth+1)
	case *ssa.ChangeInterface:
		return name(v.X, depth+1)
	case *ssa.Global:
		if obj := v.Object(); obj != nil && obj.Pkg() != nil {
			return Ref{obj.Pkg().Path() + "." + obj.Name(), obj.Pkg().Name() + "." + obj.Name()}, true
		}
		return unique(v), false
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Alloc:
		if n, ok := types.Unalias(deref(v.Type())).(*types.Named); ok && n.Obj().Pkg() != nil {
			obj := n.Obj()
			return Ref{obj.Pkg().Path() + "." + obj.Name(), obj.Name()}, true
		}
		// A local or parameter of unnamed type: the same in this function only.
		fn := v.Parent()
		if fn != nil {
			return Ref{fn.String() + "#" + v.Name(), v.Name()}, true
		}
	}
	return unique(v), false
}

// namedStruct reports whether t is (a pointer to) a named struct type: its
// fields are named after the type, however the value was reached
// (x.(*T).f, f().g).
func namedStruct(t types.Type) bool {
	n, ok := types.Unalias(deref(t)).(*types.Named)
	return ok && n.Obj().Pkg() != nil
}

func unique(v ssa.Value) Ref {
	id := v.Name()
	if fn := v.Parent(); fn != nil {
		id = fn.String() + "#" + id
	}
	return Ref{"value:" + id, v.Name()}
}

// field names field i of the struct t (or *t). A field of a named struct
// type is named after that type alone, however it was reached: c.d.active
// and d.active are both "dialer.active" when d is a *dialer.
func field(base Ref, t types.Type, i int) Ref {
	st, ok := deref(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return Ref{base.ID + ".?", base.Display + ".?"}
	}
	f := st.Field(i).Name()
	if n, ok := types.Unalias(deref(t)).(*types.Named); ok && n.Obj().Pkg() != nil {
		obj := n.Obj()
		return Ref{obj.Pkg().Path() + "." + obj.Name() + "." + f, obj.Name() + "." + f}
	}
	return Ref{base.ID + "." + f, base.Display + "." + f}
}

// extend names the value reached from v, of type t, through the dot-separated
// field path, as Name would name the field selections.
func extend(ref Ref, t types.Type, path string) Ref {
	if path == "" {
		return ref
	}
	for _, f := range strings.Split(path, ".") {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok {
			return Ref{ref.ID + "." + f, ref.Display + "." + f}
		}
		i := -1
		for j := range st.NumFields() {
			if st.Field(j).Name() == f {
				i = j
			}
		}
		if i < 0 {
			return Ref{ref.ID + "." + f, ref.Display + "." + f}
		}
		ref = field(ref, t, i)
		t = st.Field(i).Type()
	}
	return ref
}

// Field returns the last field name of a Ref's display, e.g. "connsMu".
func (r Ref) Field() string {
	if i := strings.LastIndexByte(r.Display, '.'); i >= 0 {
		return r.Display[i+1:]
	}
	return r.Display
}

// Held is the lock state before one instruction: mutexes held on every path
// there (Must) and on at least one path (May), by Ref.ID.
type Held struct {
	Must map[string]bool
	May  map[string]bool
}

// FuncState is the lock state of one function.
type FuncState struct {
	r     *Result
	fn    *ssa.Function
	entry map[*ssa.BasicBlock]Held
	// Acquired holds the mutexes the function itself locks (directly or
	// through a helper), by ID, with their Refs.
	Acquired map[string]Ref
	// Ops records the lock operations of each instruction that has any.
	Ops map[ssa.Instruction][]LockOp
}

// LockOp is one lock operation: a Lock/Unlock call or a helper with effects.
type LockOp struct {
	Mutex Ref
	Op    Op
}

// Func returns the lock state of fn, computing it on first use. fn should
// belong to the package under analysis.
func (r *Result) Func(fn *ssa.Function) *FuncState {
	r.mu.Lock()
	defer r.mu.Unlock()
	if fs, ok := r.funcs[fn]; ok {
		return fs
	}
	fs := &FuncState{r: r, fn: fn, entry: map[*ssa.BasicBlock]Held{}, Acquired: map[string]Ref{}, Ops: map[ssa.Instruction][]LockOp{}}
	fs.solve()
	r.funcs[fn] = fs
	return fs
}

// opsOf returns the lock operations performed by instr.
func (r *Result) opsOf(instr ssa.Instruction) []LockOp {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return nil // deferred unlocks keep the mutex held to the end
	}
	common := call.Common()
	callee := common.StaticCallee()
	if callee == nil {
		return nil
	}
	obj, _ := callee.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	if op := syncOp(obj); op != 0 && len(common.Args) > 0 {
		ref, _ := Name(common.Args[0])
		return []LockOp{{ref, op}}
	}
	var ops []LockOp
	for _, ef := range r.effectsOf(obj) {
		if ef.Param >= len(common.Args) {
			continue
		}
		arg := common.Args[ef.Param]
		ref, _ := Name(arg)
		ref = extend(ref, arg.Type(), ef.Path)
		ops = append(ops, LockOp{ref, ef.Op})
	}
	return ops
}

func transfer(h Held, ops []LockOp) {
	for _, op := range ops {
		switch op.Op {
		case Acquire, RAcquire:
			h.Must[op.Mutex.ID] = true
			h.May[op.Mutex.ID] = true
		case Release, RRelease:
			delete(h.Must, op.Mutex.ID)
			delete(h.May, op.Mutex.ID)
		}
	}
}

func (h Held) clone() Held {
	return Held{maps.Clone(h.Must), maps.Clone(h.May)}
}

func (fs *FuncState) solve() {
	if len(fs.fn.Blocks) == 0 {
		return
	}
	for _, b := range fs.fn.Blocks {
		for _, instr := range b.Instrs {
			ops := fs.r.opsOf(instr)
			if len(ops) > 0 {
				fs.Ops[instr] = ops
			}
			for _, op := range ops {
				if op.Op == Acquire || op.Op == RAcquire {
					fs.Acquired[op.Mutex.ID] = op.Mutex
				}
			}
		}
	}
	empty := Held{map[string]bool{}, map[string]bool{}}
	fs.entry[fs.fn.Blocks[0]] = empty
	if fs.fn.Recover != nil {
		fs.entry[fs.fn.Recover] = empty.clone()
	}
	work := []*ssa.BasicBlock{fs.fn.Blocks[0]}
	if fs.fn.Recover != nil {
		work = append(work, fs.fn.Recover)
	}
	// Must only shrinks and May only grows at each block, so this ends;
	// the cap guards against surprises in malformed IR.
	for steps := 0; len(work) > 0 && steps < 100*len(fs.fn.Blocks); steps++ {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out := fs.entry[b].clone()
		for _, instr := range b.Instrs {
			transfer(out, fs.Ops[instr])
		}
		for _, s := range b.Succs {
			in, seen := fs.entry[s]
			if !seen {
				fs.entry[s] = out.clone()
				work = append(work, s)
				continue
			}
			changed := false
			for id := range in.Must {
				if !out.Must[id] {
					delete(in.Must, id)
					changed = true
				}
			}
			for id := range out.May {
				if !in.May[id] {
					in.May[id] = true
					changed = true
				}
			}
			if changed {
				work = append(work, s)
			}
		}
	}
}

// At returns the lock state just before instr, which must belong to the
// function. Unreachable instructions hold nothing.
func (fs *FuncState) At(instr ssa.Instruction) Held {
	b := instr.Block()
	in, ok := fs.entry[b]
	if !ok {
		return Held{map[string]bool{}, map[string]bool{}}
	}
	h := in.clone()
	for _, i := range b.Instrs {
		if i == instr {
			break
		}
		transfer(h, fs.Ops[i])
	}
	return h
}
