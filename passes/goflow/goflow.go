// Package goflow models, on the shared SSA form, what the goroutine checks
// need to know about goroutines and channels: which goroutines a function
// starts and with what body, what a value captured by a closure or passed to
// a goroutine is in the function that started it, which instructions may run
// after a given one, channel capacities, and receives from ctx.Done().
//
// It is a library over ssa, not an analyzer: the IR comes from passes/ssair,
// built only once a check's prefilter has decided it needs it.
package goflow

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A Spawn is a go statement.
type Spawn struct {
	// Go is the go statement, or the call that hands a function to a
	// goroutine it starts (errgroup.Group.Go, sync.WaitGroup.Go).
	Go     ssa.CallInstruction
	Parent *ssa.Function // the function holding the go statement
	// Body is the function the goroutine runs when it is a function literal
	// or a function of the same package, else nil (go io.Copy(a, b)).
	Body *ssa.Function
}

// Spawns returns the go statements of fn.
func Spawns(fn *ssa.Function) []Spawn {
	var out []Spawn
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if g, ok := instr.(*ssa.Go); ok {
				out = append(out, Spawn{Go: g, Parent: fn, Body: FuncOf(g.Call.Value)})
			}
			if call, ok := instr.(*ssa.Call); ok && GoesOn(&call.Call) {
				if body := FuncOf(call.Call.Args[len(call.Call.Args)-1]); body != nil {
					out = append(out, Spawn{Go: call, Parent: fn, Body: body})
				}
			}
		}
	}
	return out
}

// Args returns the arguments the goroutine's function is called with (none
// for a function handed to errgroup.Group.Go).
func (s *Spawn) Args() []ssa.Value {
	if g, ok := s.Go.(*ssa.Go); ok {
		return g.Call.Args
	}
	return nil
}

// GoesOn reports whether call hands its last argument, a func, to a
// goroutine it starts: errgroup.Group's Go and TryGo, sync.WaitGroup's Go.
func GoesOn(com *ssa.CallCommon) bool {
	callee := com.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(com.Args) < 2 {
		return false
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return false
	}
	switch obj.Pkg().Path() + "." + recvName(obj) + "." + obj.Name() {
	case "golang.org/x/sync/errgroup.Group.Go", "golang.org/x/sync/errgroup.Group.TryGo", "sync.WaitGroup.Go":
		return true
	}
	return false
}

func recvName(fn *types.Func) string {
	t := fn.Signature().Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// FuncOf returns the function with a body that a called value denotes: a
// function literal (through its closure, or a variable or free variable
// holding it) or a function of the package being analysed.
func FuncOf(v ssa.Value) *ssa.Function {
	for i := 0; i < 8 && v != nil; i++ {
		switch x := v.(type) {
		case *ssa.Function:
			if x.Blocks == nil {
				return nil
			}
			return x
		case *ssa.MakeClosure:
			return FuncOf(x.Fn)
		case *ssa.FreeVar:
			v = Binding(x)
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil
			}
			a := x.X
			if fv, ok := a.(*ssa.FreeVar); ok {
				a = Binding(fv)
			}
			v = storedIn(a)
		case *ssa.ChangeType:
			v = x.X
		default:
			return nil
		}
	}
	return nil
}

// storedIn returns the single value stored into the local variable addr, if
// there is one.
func storedIn(addr ssa.Value) ssa.Value {
	if _, ok := addr.(*ssa.Alloc); !ok {
		return nil
	}
	var val ssa.Value
	for _, r := range *addr.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == addr {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// Binding returns the value a free variable is bound to in the function
// that makes the closure, or nil.
func Binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	if idx < 0 || fn.Parent() == nil {
		return nil
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc.Bindings[idx]
			}
		}
	}
	return nil
}

// Root resolves v to the value it denotes in the outermost function that
// can be seen: through conversions, interface boxing, captured variables,
// free variables, and the parameters of a goroutine body started with
// arguments (spawn, if not nil, is the go statement that runs v's function).
func Root(v ssa.Value, spawn *Spawn) ssa.Value {
	for i := 0; i < 16 && v != nil; i++ {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.Extract:
			// The value of hc, ok := c.(interface{ CloseWrite() error }).
			if ta, ok := x.Tuple.(*ssa.TypeAssert); ok && x.Index == 0 {
				v = ta.X
				continue
			}
			return v
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			switch a := x.X.(type) {
			case *ssa.Alloc, *ssa.FreeVar:
				v = a // a captured variable stands for its contents
				continue
			}
			return v
		case *ssa.Alloc:
			// A variable captured by a closure: assigned once, it is the
			// value assigned.
			sv := storedIn(x)
			if sv == nil {
				return v
			}
			v = sv
		case *ssa.FreeVar:
			b := Binding(x)
			if b == nil {
				return v
			}
			v = b
		case *ssa.Parameter:
			if spawn != nil && spawn.Body == x.Parent() {
				for j, p := range x.Parent().Params {
					if p == x && j < len(spawn.Args()) {
						v = spawn.Args()[j]
						spawn = nil
					}
				}
				if spawn != nil {
					return v
				}
				continue
			}
			// A function literal started by one go statement with
			// arguments: go func(c net.Conn) { ... }(conn).
			if g := startedBy(x.Parent()); g != nil {
				for j, p := range x.Parent().Params {
					if p == x && j < len(g.Call.Args) {
						v = g.Call.Args[j]
					}
				}
				if v != x {
					continue
				}
			}
			return v
		default:
			return v
		}
	}
	return v
}

// After calls f for each instruction that may run after instr in its
// function, in no particular order, stopping when f returns false. Loops
// bring instructions before instr in its block round again.
func After(instr ssa.Instruction, f func(ssa.Instruction) bool) {
	b := instr.Block()
	if b == nil {
		return
	}
	idx := -1
	for i, in := range b.Instrs {
		if in == instr {
			idx = i
		}
	}
	for _, in := range b.Instrs[idx+1:] {
		if !f(in) {
			return
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		for _, in := range s.Instrs {
			if !f(in) {
				return
			}
		}
		stack = append(stack, s.Succs...)
	}
}

// ChanCap returns the capacity of the channel made at the root of v, and
// whether it is known: a make(chan T, n) with a constant n.
func ChanCap(v ssa.Value) (int64, bool) {
	mc, ok := Root(v, nil).(*ssa.MakeChan)
	if !ok {
		return 0, false
	}
	c, ok := mc.Size.(*ssa.Const)
	if !ok || c.Value == nil {
		return 0, ok // nil Value: the zero constant
	}
	n, exact := constant.Int64Val(constant.ToInt(c.Value))
	return n, exact
}

// IsDone reports whether v is the result of a Done method of a
// context.Context (or any Done() <-chan struct{} method, as of a context
// implementation), or the channel of a time.Timer or time.After: the
// channels a receiver selects on to give up.
func IsDone(v ssa.Value) bool {
	v = Root(v, nil)
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		// t.C of a *time.Timer or *time.Ticker
		if fa, ok := u.X.(*ssa.FieldAddr); ok {
			if st, ok := types.Unalias(fa.X.Type()).(*types.Pointer); ok {
				if n, ok := types.Unalias(st.Elem()).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" {
					return true
				}
			}
		}
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	com := call.Common()
	if com.IsInvoke() {
		return com.Method.Name() == "Done"
	}
	if callee := com.StaticCallee(); callee != nil {
		if callee.Name() == "Done" && callee.Signature.Recv() != nil {
			return true
		}
		if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "After" {
			return true
		}
	}
	return false
}

// IsWait reports whether instr blocks until another goroutine acts: a
// channel receive, a blocking select, or a sync.WaitGroup Wait.
func IsWait(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.UnOp:
		return x.Op == token.ARROW
	case *ssa.Select:
		return x.Blocking
	case *ssa.Call:
		if callee := x.Common().StaticCallee(); callee != nil && callee.Name() == "Wait" {
			if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && (obj.Pkg().Path() == "sync" || obj.Pkg().Path() == "golang.org/x/sync/errgroup") {
				return true
			}
		}
	}
	return false
}

// OnEveryPath reports whether every path from just after instr to the end
// of its function meets an instruction for which f returns +1 before one for
// which it returns -1 (0: keep going). A path that ends in a panic, or that
// loops back to where it has been, counts as met: it never returns normally.
func OnEveryPath(instr ssa.Instruction, f func(ssa.Instruction) int) bool {
	b := instr.Block()
	if b == nil {
		return false
	}
	idx := -1
	for i, in := range b.Instrs {
		if in == instr {
			idx = i
		}
	}
	return blockMeets(b, idx+1, f, map[*ssa.BasicBlock]int{})
}

// BlockMeets is OnEveryPath from the first instruction of b.
func BlockMeets(b *ssa.BasicBlock, f func(ssa.Instruction) int) bool {
	return blockMeets(b, 0, f, map[*ssa.BasicBlock]int{})
}

func blockMeets(b *ssa.BasicBlock, from int, f func(ssa.Instruction) int, state map[*ssa.BasicBlock]int) bool {
	if from == 0 {
		switch state[b] {
		case 1, 2: // in progress (a cycle) or known to meet
			return true
		case 3:
			return false
		}
		state[b] = 1
	}
	res := func() bool {
		for _, in := range b.Instrs[from:] {
			switch f(in) {
			case 1:
				return true
			case -1:
				return false
			}
			if _, ok := in.(*ssa.Panic); ok {
				return true
			}
		}
		if len(b.Succs) == 0 {
			return false // a return
		}
		for _, s := range b.Succs {
			if !blockMeets(s, 0, f, state) {
				return false
			}
		}
		return true
	}()
	if from == 0 {
		if res {
			state[b] = 2
		} else {
			state[b] = 3
		}
	}
	return res
}

// CaseBlock returns the block that runs when case i of a select is chosen,
// or nil when it cannot be found.
func CaseBlock(sel *ssa.Select, i int) *ssa.BasicBlock {
	for _, ref := range *sel.Referrers() {
		ex, ok := ref.(*ssa.Extract)
		if !ok || ex.Index != 0 {
			continue
		}
		for _, r := range *ex.Referrers() {
			cmp, ok := r.(*ssa.BinOp)
			if !ok || cmp.Op != token.EQL {
				continue
			}
			if c, ok := cmp.Y.(*ssa.Const); ok && c.Value != nil && c.Int64() == int64(i) {
				for _, u := range *cmp.Referrers() {
					if iff, ok := u.(*ssa.If); ok {
						return iff.Block().Succs[0]
					}
				}
			}
		}
	}
	return nil
}

// startedBy returns the go statement that starts the function literal fn,
// when it is the only instruction of its parent that uses fn.
func startedBy(fn *ssa.Function) *ssa.Go {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	var g *ssa.Go
	uses := 0
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.MakeClosure:
				if x.Fn == fn {
					uses++
					if refs := x.Referrers(); refs != nil && len(*refs) == 1 {
						if gg, ok := (*refs)[0].(*ssa.Go); ok && gg.Call.Value == x {
							g = gg
						}
					}
				}
			case *ssa.Go:
				if x.Call.Value == fn {
					uses++
					g = x
				}
			}
		}
	}
	if uses != 1 {
		return nil
	}
	return g
}
