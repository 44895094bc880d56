package copypipe

import (
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/reqscope"
)

// A fieldCopy is a method that copies between two fields of its receiver
// (a copier{dst, src} value, one direction of a relay): which fields, and
// whether on every path after the copy it closes, half-closes or arms a
// deadline on something the receiver holds.
type fieldCopy struct {
	dst, src int
	ends     bool
	at       ssa.Instruction
}

// fieldCopies finds the methods of the package that copy between two
// fields of their receiver.
func (c *checker) fieldCopies(funcs []*ssa.Function) map[*ssa.Function]*fieldCopy {
	out := map[*ssa.Function]*fieldCopy{}
	for _, fn := range funcs {
		if fn.Parent() != nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 {
			continue
		}
		recv := fn.Params[0]
		for _, s := range c.sites(fn) {
			d, sr := recvField(s.dst, recv), recvField(s.src, recv)
			if d < 0 || sr < 0 || d == sr {
				continue
			}
			out[fn] = &fieldCopy{dst: d, src: sr, ends: endsOnRecv(s.instr, recv, 0), at: s.instr}
			break
		}
	}
	return out
}

// recvField returns the index of the field of recv that v loads, or -1.
func recvField(v ssa.Value, recv *ssa.Parameter) int {
	switch x := v.(type) {
	case *ssa.ChangeInterface:
		return recvField(x.X, recv)
	case *ssa.MakeInterface:
		return recvField(x.X, recv)
	case *ssa.Field:
		if x.X == recv {
			return x.Field
		}
	case *ssa.UnOp:
		// The receiver as it is, or spilled to a local (c.dst through &c).
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL && (fa.X == recv || goflow.Root(fa.X, nil) == recv) {
			return fa.Field
		}
	}
	return -1
}

// derived reports whether v is made from base: base itself, a field or
// element of it, a conversion or type assertion of such a value, or a
// result of a call given one (asCloseWriter(c.dst)).
func derived(v, base ssa.Value, depth int) bool {
	if v == nil || depth > 8 {
		return false
	}
	if v == base {
		return true
	}
	switch x := v.(type) {
	case *ssa.ChangeInterface:
		return derived(x.X, base, depth+1)
	case *ssa.MakeInterface:
		return derived(x.X, base, depth+1)
	case *ssa.ChangeType:
		return derived(x.X, base, depth+1)
	case *ssa.TypeAssert:
		return derived(x.X, base, depth+1)
	case *ssa.Field:
		return derived(x.X, base, depth+1)
	case *ssa.FieldAddr:
		return derived(x.X, base, depth+1)
	case *ssa.IndexAddr:
		return derived(x.X, base, depth+1)
	case *ssa.Index:
		return derived(x.X, base, depth+1)
	case *ssa.UnOp:
		return x.Op == token.MUL && derived(x.X, base, depth+1)
	case *ssa.Extract:
		return derived(x.Tuple, base, depth+1)
	case *ssa.Call:
		for _, a := range x.Call.Args {
			if derived(a, base, depth+1) {
				return true
			}
		}
	case *ssa.Phi:
		for _, e := range x.Edges {
			if derived(e, base, depth+1) {
				return true
			}
		}
	case *ssa.Alloc:
		// A local holding base (a value receiver spilled to the stack).
		if r := goflow.Root(x, nil); r != x {
			return derived(r, base, depth+1)
		}
	}
	return false
}

// endOps are the calls that end a direction: the peer sees EOF or an error.
var endOps = map[string]bool{"Close": true, "CloseWrite": true, "CloseRead": true, "SetDeadline": true, "SetReadDeadline": true}

// endsOnRecv reports whether, on every path after instr, something the
// receiver recv holds is closed, half-closed or given a deadline: directly,
// or in a method of the package called on the receiver, on every path of
// that method.
func endsOnRecv(instr ssa.Instruction, recv ssa.Value, depth int) bool {
	return goflow.OnEveryPath(instr, func(in ssa.Instruction) int {
		if _, isGo := in.(*ssa.Go); isGo {
			return 0
		}
		call, ok := in.(ssa.CallInstruction)
		if !ok {
			return 0
		}
		com := call.Common()
		if isCancel(com.Value.Type()) && !com.IsInvoke() {
			return 1
		}
		if name, r := method(com); r != nil && endOps[name] && derived(r, recv, 0) {
			return 1
		}
		callee := com.StaticCallee()
		if callee == nil || callee.Blocks == nil || depth > 2 || callee.Pkg != instr.Parent().Pkg {
			return 0
		}
		for i, a := range com.Args {
			if i < len(callee.Params) && derived(a, recv, 0) && len(callee.Blocks[0].Instrs) > 0 &&
				endsOnRecv(callee.Blocks[0].Instrs[0], callee.Params[i], depth+1) {
				return 1
			}
		}
		return 0
	})
}

// checkCopiers reports a function that starts one copier goroutine per
// element of a slice (go cc[i].copy(...) in a loop, the directions of a
// relay) and waits for all of them, when a copier's end stops nothing on
// some path (it half-closes only a destination that can be half-closed)
// and nothing the function runs after starting them closes the elements:
// a peer that goes silent blocks the other copies, and the wait, forever.
func (c *checker) checkCopiers(r interface{ Report(analysis.Diagnostic) }, funcs []*ssa.Function, fcs map[*ssa.Function]*fieldCopy) {
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				g, ok := instr.(*ssa.Go)
				if !ok || !reqscope.InLoop(g) {
					continue
				}
				callee := g.Call.StaticCallee()
				if callee == nil {
					continue
				}
				fc := fcs[callee]
				if debug {
					fmt.Printf("go %s fc=%+v\n", callee, fc)
				}
				if fc == nil || fc.ends || len(g.Call.Args) == 0 {
					continue
				}
				if debug {
					fmt.Printf("  slice=%v waits=%v\n", elementOf(g.Call.Args[0]), waitsForBoth(fn, g))
				}
				slice := elementOf(g.Call.Args[0])
				if slice == nil || !waitsForBoth(fn, g) || closesElements(g, slice) {
					continue
				}
				if !crossed(funcs, fn, goflow.Root(slice, nil), fc) {
					continue // not shown to be a relay's directions
				}
				r.Report(analysis.Diagnostic{Pos: g.Pos(), Message: fmt.Sprintf(
					"%s starts %s for each element of %s and waits for all of them, but when one copy returns %s does not close, half-close or arm a deadline on every path (line %d), and nothing here closes the others: a peer that goes silent blocks the other directions, and the wait, forever; %s",
					fn.Name(), callee.Name(), name(c.pass, slice), callee.Name(), c.pass.Fset.Position(fc.at.Pos()).Line,
					"close every element's connections when the first copy returns (at once, or after a grace period)")})
			}
		}
	}
}

// elementOf returns the slice whose element v is (cc[i], a copy of it), or
// nil.
func elementOf(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.UnOp:
		if ia, ok := x.X.(*ssa.IndexAddr); ok && x.Op == token.MUL {
			return ia.X
		}
	case *ssa.IndexAddr:
		return x.X
	case *ssa.Index:
		return x.X
	}
	return nil
}

// closesElements reports whether something that may run after g hands the
// slice, or an element of it, to a call that closes what they hold (a
// forced close after a grace period, go closeAll(cc...)).
func closesElements(g *ssa.Go, slice ssa.Value) bool {
	found := false
	goflow.After(g, func(in ssa.Instruction) bool {
		call, ok := in.(ssa.CallInstruction)
		if !ok || in == g {
			return true
		}
		com := call.Common()
		for _, a := range com.Args {
			if !derived(a, slice, 0) {
				continue
			}
			if name, _ := method(com); endOps[name] {
				found = true
			}
		}
		if callee := com.StaticCallee(); callee != nil && callee.Signature.Recv() == nil {
			for i, a := range com.Args {
				if derived(a, slice, 0) && i < len(callee.Params) && closesDerived(callee, callee.Params[i], 0) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// closesDerived reports whether fn calls a close-like function or method on
// something made from base, directly or in a method of the package it
// calls on such a value.
func closesDerived(fn *ssa.Function, base ssa.Value, depth int) bool {
	if fn == nil || fn.Blocks == nil || depth > 2 {
		return false
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			call, ok := in.(ssa.CallInstruction)
			if !ok {
				continue
			}
			com := call.Common()
			name, r := method(com)
			if r != nil && closeName(name) && derived(r, base, 0) {
				return true
			}
			if callee := com.StaticCallee(); callee != nil && callee.Pkg == fn.Pkg {
				for i, a := range com.Args {
					if i < len(callee.Params) && derived(a, base, 0) && closesDerived(callee, callee.Params[i], depth+1) {
						return true
					}
				}
			}
		}
	}
	return false
}

// crossed reports whether the slice s of copiers holds crossed ones: built
// here, or passed by some call of fn in the package.
func crossed(funcs []*ssa.Function, fn *ssa.Function, s ssa.Value, fc *fieldCopy) bool {
	if p, ok := s.(*ssa.Parameter); ok {
		return crossedSomewhere(funcs, fn, slices.Index(fn.Params, p), fc)
	}
	return crossedElems(sliceElems(s), fc)
}

func crossedElems(elems []ssa.Value, fc *fieldCopy) bool {
	for i, x := range elems {
		for _, y := range elems[i+1:] {
			xd, xs := fieldVal(x, fc.dst), fieldVal(x, fc.src)
			yd, ys := fieldVal(y, fc.dst), fieldVal(y, fc.src)
			if xd != nil && xs != nil && yd != nil && ys != nil && sameRef(xd, ys, 0) && sameRef(xs, yd, 0) {
				return true
			}
		}
	}
	return false
}

// crossedSomewhere reports whether some call of starter in the package
// passes, as its parameter param (a slice, or variadic), copiers whose
// fields are crossed (one's destination is the other's source and back):
// the directions of a relay, not independent copies.
func crossedSomewhere(funcs []*ssa.Function, starter *ssa.Function, param int, fc *fieldCopy) bool {
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok || call.Common().StaticCallee() != starter || param >= len(call.Common().Args) {
					continue
				}
				if crossedElems(sliceElems(call.Common().Args[param]), fc) {
					return true
				}
			}
		}
	}
	return false
}

// sliceElems returns the values stored as the elements of a slice built in
// place (a composite literal, the array behind variadic arguments).
func sliceElems(v ssa.Value) []ssa.Value {
	s, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	arr, ok := s.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var out []ssa.Value
	for _, ref := range *arr.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		for _, r := range *ia.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}

// fieldVal returns the value stored in field i of the struct value v, made
// by a composite literal (a load of a local struct whose fields were
// stored), or nil.
func fieldVal(v ssa.Value, i int) ssa.Value {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	a, ok := u.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	for _, ref := range *a.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fa.Field != i {
			continue
		}
		for _, r := range *fa.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == fa {
				return st.Val
			}
		}
	}
	return nil
}

// sameRef reports whether a and b denote the same connection: one root, or
// loads of the same field of the same object (p.conn read twice).
func sameRef(a, b ssa.Value, depth int) bool {
	a, b = goflow.Root(a, nil), goflow.Root(b, nil)
	if a == b {
		return true
	}
	ua, ok1 := a.(*ssa.UnOp)
	ub, ok2 := b.(*ssa.UnOp)
	if !ok1 || !ok2 || ua.Op != token.MUL || ub.Op != token.MUL || depth > 3 {
		return false
	}
	fa, ok1 := ua.X.(*ssa.FieldAddr)
	fb, ok2 := ub.X.(*ssa.FieldAddr)
	return ok1 && ok2 && fa.Field == fb.Field && sameRef(fa.X, fb.X, depth+1)
}
