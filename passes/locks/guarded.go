package locks

import (
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A Change is one insertion into, or removal from, a named collection — a
// map, a slice, a sync.Map or a container/list.List — that a function makes,
// with the mutex the function itself holds around it. It is what a lock
// guards: the set a gauge of that set must follow.
type Change struct {
	Instr      ssa.Instruction
	Collection Ref
	Insert     bool // else a removal
	// Delete is set for a removal that does not say whether anything was
	// removed (delete(m, k), sync.Map.Delete, slices.Delete...): code that
	// counts on it must check presence itself.
	Delete bool
	Lock   Ref
	Locked bool // under a mutex the function locks itself
}

// Changes returns the changes fn makes to named collections, with the mutex
// fn itself holds around each. Local collections are left out: nobody else
// counts them.
func (fs *FuncState) Changes() []Change {
	var out []Change
	for _, b := range fs.fn.Blocks {
		for _, instr := range b.Instrs {
			coll, insert, del, ok := changeOf(instr)
			if !ok {
				continue
			}
			ref, named := Name(coll)
			if !named {
				continue
			}
			c := Change{Instr: instr, Collection: ref, Insert: insert, Delete: del}
			c.Lock, c.Locked = fs.pickLock(fs.At(instr), ref)
			out = append(out, c)
		}
	}
	return out
}

// changeOf recognises one insertion or removal: m[k] = v, delete(m, k),
// s = append(s, ...), s = s[:n] or s[1:], s = slices.Delete/DeleteFunc(...),
// sync.Map Store/LoadOrStore/Delete/LoadAndDelete, list.List
// PushBack/PushFront/InsertBefore/InsertAfter/Remove.
func changeOf(instr ssa.Instruction) (coll ssa.Value, insert, del, ok bool) {
	switch x := instr.(type) {
	case *ssa.MapUpdate:
		return x.Map, true, false, true
	case *ssa.Store:
		switch v := x.Val.(type) {
		case *ssa.Call:
			if bi, ok := v.Call.Value.(*ssa.Builtin); ok && bi.Name() == "append" {
				return x.Addr, true, false, true
			}
			if fn := v.Call.StaticCallee(); fn != nil && inPkg(fn, "slices") {
				switch originName(fn) {
				case "Delete", "DeleteFunc":
					return x.Addr, false, true, true
				case "Insert":
					return x.Addr, true, false, true
				}
			}
		case *ssa.Slice:
			// s = s[:len(s)-1], s = s[1:]: a removal, when it re-slices
			// the very slice it is stored back into.
			if ld, ok := v.X.(*ssa.UnOp); ok && ld.X == x.Addr {
				return x.Addr, false, true, true
			}
			if a, ok := Name(v.X); ok {
				if b, ok := Name(x.Addr); ok && a.ID == b.ID {
					return x.Addr, false, true, true
				}
			}
		}
	case ssa.CallInstruction:
		if _, isCall := x.(*ssa.Call); !isCall {
			return nil, false, false, false
		}
		common := x.Common()
		if bi, ok := common.Value.(*ssa.Builtin); ok && bi.Name() == "delete" && len(common.Args) == 2 {
			return common.Args[0], false, true, true
		}
		callee := common.StaticCallee()
		if callee == nil || len(common.Args) == 0 || callee.Signature.Recv() == nil {
			return nil, false, false, false
		}
		recv := common.Args[0]
		n, ok := types.Unalias(deref(recv.Type())).(*types.Named)
		if !ok || n.Obj().Pkg() == nil {
			return nil, false, false, false
		}
		switch n.Obj().Pkg().Path() + "." + n.Obj().Name() {
		case "sync.Map":
			switch callee.Name() {
			case "Store", "LoadOrStore", "Swap":
				return recv, true, false, true
			case "Delete":
				return recv, false, true, true
			case "LoadAndDelete":
				return recv, false, false, true
			}
		case "container/list.List":
			switch callee.Name() {
			case "PushBack", "PushFront", "InsertBefore", "InsertAfter":
				return recv, true, false, true
			case "Remove":
				return recv, false, false, true
			}
		}
	}
	return nil, false, false, false
}

// inPkg reports whether fn, or the generic function it instantiates, is
// declared in the package with the given path.
func inPkg(fn *ssa.Function, path string) bool {
	if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() != nil {
		return obj.Pkg().Path() == path
	}
	return fn.Pkg != nil && fn.Pkg.Pkg.Path() == path
}

func originName(fn *ssa.Function) string {
	if o := fn.Origin(); o != nil {
		return o.Name()
	}
	return fn.Name()
}

// pickLock chooses, among the mutexes held on every path to a change that
// the function locks itself, the one that guards the collection: preferably
// one living in the same struct.
func (fs *FuncState) pickLock(held Held, coll Ref) (Ref, bool) {
	var cands []Ref
	for id := range held.Must {
		if ref, ok := fs.Acquired[id]; ok {
			cands = append(cands, ref)
		}
	}
	if len(cands) == 0 {
		return Ref{}, false
	}
	sort.Slice(cands, func(i, j int) bool {
		si, sj := sameParent(cands[i].ID, coll.ID), sameParent(cands[j].ID, coll.ID)
		if si != sj {
			return si
		}
		return cands[i].ID < cands[j].ID
	})
	return cands[0], true
}

func sameParent(a, b string) bool {
	i, j := strings.LastIndexByte(a, '.'), strings.LastIndexByte(b, '.')
	return i >= 0 && j >= 0 && a[:i] == b[:j]
}
