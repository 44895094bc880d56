package orphanconn

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/report"
)

// A fieldUse summarises what a package does with a channel field of one of
// its struct types.
type fieldUse struct {
	stored  bool       // assigned somewhere
	onlyMk  bool       // every value assigned is a channel made on the spot and kept only there
	partner bool       // sent on, closed, or handed somewhere the check cannot follow
	recvs   []recvSite // receives from it
	name    string     // e.g. pxy.closeCh
}

type recvSite struct {
	pos        token.Pos
	fn         *ssa.Function
	sel        bool
	nilGuarded bool // reached only where the field was seen non-nil
}

// checkFields reports receives from channel fields that can never complete:
// an unexported field that nothing in the package ever assigns (it is nil),
// or one that is only ever assigned a fresh channel that nothing sends on or
// closes.
func checkFields(pass *analysis.Pass, r *report.Reporter, funcs []*ssa.Function) {
	uses := map[*types.Var]*fieldUse{}
	keys := &fieldKeys{}
	get := func(f *types.Var) *fieldUse {
		u := uses[f]
		if u == nil {
			u = &fieldUse{onlyMk: true}
			uses[f] = u
		}
		return u
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var f *types.Var
				var val ssa.Value
				switch x := instr.(type) {
				case *ssa.FieldAddr:
					f = keys.fieldOf(x.X.Type(), x.Field, true)
					val = x
				case *ssa.Field:
					f = keys.fieldOf(x.X.Type(), x.Field, false)
					val = x
				}
				if f == nil {
					continue
				}
				if _, isChan := f.Type().Underlying().(*types.Chan); !isChan {
					continue
				}
				u := get(f)
				if _, ok := instr.(*ssa.Field); ok {
					keys.followLoad(val, f, u, fn)
					continue
				}
				for _, ref := range refs(val) {
					switch y := ref.(type) {
					case *ssa.Store:
						if y.Addr != val {
							u.partner = true
							continue
						}
						u.stored = true
						if !freshOnly(y.Val, y) {
							u.onlyMk = false
						}
					case *ssa.UnOp:
						if y.Op == token.MUL {
							if u.name == "" {
								u.name = fieldName(y, f)
							}
							keys.followLoad(y, f, u, fn)
						} else {
							u.partner = true
						}
					case *ssa.DebugRef:
					default:
						u.partner = true // its address escapes
						u.stored = true
					}
				}
			}
		}
	}
	seen := map[token.Pos]bool{}
	for f, u := range uses {
		if f.Exported() || f.Pkg() != pass.Pkg || len(u.recvs) == 0 {
			continue
		}
		name := u.name
		if name == "" {
			name = f.Name()
		}
		var why string
		switch {
		case !u.stored:
			why = fmt.Sprintf("%s is never assigned anywhere in package %s: it is nil, and a receive from a nil channel never completes", name, pass.Pkg.Name())
		case u.onlyMk && !u.partner:
			why = fmt.Sprintf("nothing in package %s ever sends on or closes %s, so this receive never completes", pass.Pkg.Name(), name)
		default:
			continue
		}
		for _, rs := range u.recvs {
			if report.InTestFile(pass, rs.pos) || seen[rs.pos] || !u.stored && rs.nilGuarded {
				continue
			}
			seen[rs.pos] = true
			what := "this receive blocks forever, and its goroutine with everything it holds"
			if rs.sel {
				what = "this case can never fire: a goroutine that waits on it to stop never stops"
			}
			fix := fmt.Sprintf("make the channel where %s is built", recvType(f))
			if u.stored {
				fix = fmt.Sprintf("close %s where its owner is stopped", name)
			}
			r.Report(analysis.Diagnostic{
				Pos:     rs.pos,
				Message: fmt.Sprintf("%s: %s; %s", why, what, fix),
			})
		}
	}
}

func recvType(f *types.Var) string {
	return "the value holding " + f.Name()
}

// followLoad records what happens to a channel value v loaded from the
// field f. A select with a default case waits on nothing, so its cases are
// not receives that can block.
func (k *fieldKeys) followLoad(v ssa.Value, f *types.Var, u *fieldUse, fn *ssa.Function) {
	for _, ref := range refs(v) {
		switch x := ref.(type) {
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				u.recvs = append(u.recvs, recvSite{pos: x.Pos(), fn: fn, nilGuarded: k.nilGuarded(x.Block(), v, f)})
				continue
			}
			u.partner = true
		case *ssa.Select:
			for _, st := range x.States {
				if st.Chan == v {
					if st.Dir == types.SendOnly {
						u.partner = true
					} else if x.Blocking && !stopsOnDone(x) {
						u.recvs = append(u.recvs, recvSite{pos: st.Pos, fn: fn, sel: true, nilGuarded: k.nilGuarded(x.Block(), v, f)})
					}
				}
				if st.Send == v {
					u.partner = true
				}
			}
		case *ssa.Call:
			if bi, ok := x.Call.Value.(*ssa.Builtin); ok && (bi.Name() == "len" || bi.Name() == "cap") {
				continue
			}
			u.partner = true
		case *ssa.DebugRef:
		default:
			u.partner = true // sent, closed through a variable, returned, stored...
		}
	}
}

// stopsOnDone reports whether the select has a case on a context's Done
// channel (or a timer) that leaves the loop: the goroutine's stop is that
// case, and one that never fires beside it (a test's hook) stops nothing.
func stopsOnDone(sel *ssa.Select) bool {
	for i, st := range sel.States {
		if st.Dir == types.RecvOnly && goflow.IsDone(st.Chan) && leavesLoop(sel, i) {
			return true
		}
	}
	return false
}

// nilGuarded reports whether block b is reached only through a branch on
// the channel v, or another load of the field f, being non-nil (an
// optional hook: if ch != nil { <-ch }).
func (k *fieldKeys) nilGuarded(b *ssa.BasicBlock, v ssa.Value, f *types.Var) bool {
	return goflow.NonNilBranch(b, func(x ssa.Value) bool { return x == v || k.loadsField(x, f) })
}

// loadsField reports whether v is a load of the field f.
func (k *fieldKeys) loadsField(v ssa.Value, f *types.Var) bool {
	switch x := v.(type) {
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			return k.fieldOf(fa.X.Type(), fa.Field, true) == f
		}
	case *ssa.Field:
		return k.fieldOf(x.X.Type(), x.Field, false) == f
	}
	return false
}

// freshOnly reports whether v, stored by st, is a channel made on the spot
// and used nowhere but in that store.
func freshOnly(v ssa.Value, st *ssa.Store) bool {
	mc, ok := v.(*ssa.MakeChan)
	if !ok {
		return false
	}
	for _, ref := range refs(mc) {
		if ref != st {
			if _, ok := ref.(*ssa.DebugRef); !ok {
				return false
			}
		}
	}
	return true
}

// fieldKeys names each field by one *types.Var. A struct type written out
// in more than one place (the element of a slice field, and the literal
// that fills it) is one type to the language, but go/types gives each
// spelling fields of its own: the first spelling seen stands for all.
// Spellings are compared as written, so that a generic type's element and
// the literal its constructor builds match although each names its own
// type parameter.
type fieldKeys struct {
	structs map[string]*types.Struct // by its spelling: the first seen
}

func (k *fieldKeys) fieldOf(t types.Type, i int, ptr bool) *types.Var {
	if ptr {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return nil
		}
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	if _, named := types.Unalias(t).(*types.Named); !named {
		// By spelling, not identity: in a generic type and its
		// constructor, struct{ v chan O } names two type parameters O.
		key := types.TypeString(st, (*types.Package).Path)
		if first, ok := k.structs[key]; ok {
			st = first
		} else {
			if k.structs == nil {
				k.structs = map[string]*types.Struct{}
			}
			k.structs[key] = st
		}
	}
	f := st.Field(i)
	if o := f.Origin(); o != nil {
		f = o
	}
	return f
}

func fieldName(load *ssa.UnOp, f *types.Var) string {
	if fa, ok := load.X.(*ssa.FieldAddr); ok {
		base := goflow.Root(fa.X, nil)
		if n := base.Name(); n != "" && (isParamOrFree(base)) {
			return n + "." + f.Name()
		}
	}
	return f.Name()
}

func isParamOrFree(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Parameter, *ssa.FreeVar:
		return true
	}
	return false
}

func refs(v ssa.Value) []ssa.Instruction {
	if r := v.Referrers(); r != nil {
		return *r
	}
	return nil
}
