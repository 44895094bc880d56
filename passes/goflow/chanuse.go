package goflow

import (
	"go/token"
	"go/types"

	"github.com/proxylint/proxylint/passes/reqscope"
	"golang.org/x/tools/go/ssa"
)

// A ChanUse is what the code does with a channel made in a function,
// followed through conversions, captured variables, closures and the
// goroutines started with it as an argument (and, where asked, the
// functions of the package it is passed to).
type ChanUse struct {
	Sends   []ssa.Instruction // plain sends (blocking until received)
	SelSend bool              // sends inside a select (may give up)
	Recvs   []ssa.Instruction // plain receives
	SelRecv []*ssa.Select     // selects receiving from it
	Closed  bool
	Escapes bool // passed, stored or returned somewhere not followed
	InLoop  bool // a send, goroutine or closure in a loop: counts are unknown
	// Returns are the returns that hand the channel to the caller (not
	// an escape: a caller may follow the result with Merge).
	Returns []*ssa.Return

	seen map[ssa.Value]bool
}

// Escaped reports whether the channel leaves what was followed: handed
// away, stored, or returned.
func (u *ChanUse) Escaped() bool { return u.Escapes || len(u.Returns) > 0 }

// Merge adds the uses o of the same channel (a caller's result).
func (u *ChanUse) Merge(o *ChanUse) {
	u.Sends = append(u.Sends, o.Sends...)
	u.SelSend = u.SelSend || o.SelSend
	u.Recvs = append(u.Recvs, o.Recvs...)
	u.SelRecv = append(u.SelRecv, o.SelRecv...)
	u.Closed = u.Closed || o.Closed
	u.Escapes = u.Escapes || o.Escapes
	u.InLoop = u.InLoop || o.InLoop
	u.Returns = append(u.Returns, o.Returns...)
	if u.seen == nil {
		u.seen = map[ssa.Value]bool{}
	}
	for v := range o.seen {
		u.seen[v] = true
	}
}

// Has reports whether v is the channel, or a value followed as it.
func (u *ChanUse) Has(v ssa.Value) bool { return u.seen[v] }

// ResultUses follows the result of fn that its returns in u hand out, at
// every call of fn among funcs: the uses of the channel in its callers. It
// reports false when fn returns it in more than one result position or has
// no caller among funcs.
func ResultUses(fn *ssa.Function, u *ChanUse, funcs []*ssa.Function) (*ChanUse, bool) {
	index := -1
	for _, ret := range u.Returns {
		for i, r := range ret.Results {
			if u.Has(r) {
				if index >= 0 && index != i {
					return nil, false
				}
				index = i
			}
		}
	}
	if index < 0 {
		return nil, false
	}
	out := &ChanUse{}
	found := false
	for _, caller := range funcs {
		for _, b := range caller.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || call.Call.StaticCallee() != fn {
					continue
				}
				found = true
				if fn.Signature.Results().Len() == 1 {
					out.Merge(FollowChan(call, false))
					continue
				}
				for _, ref := range *call.Referrers() {
					if ex, ok := ref.(*ssa.Extract); ok && ex.Index == index {
						out.Merge(FollowChan(ex, false))
					}
				}
			}
		}
	}
	return out, found
}

// FollowChan collects the uses of the channel v. With intoCalls, a call or
// defer of a function with a body that is given the channel is followed
// into that function (its sends are the channel's sends); otherwise it is
// an escape.
func FollowChan(v ssa.Value, intoCalls bool) *ChanUse {
	u := &ChanUse{seen: map[ssa.Value]bool{}}
	u.follow(v, intoCalls, u.seen)
	return u
}

func (u *ChanUse) follow(v ssa.Value, intoCalls bool, seen map[ssa.Value]bool) {
	if seen[v] {
		return
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		switch x := ref.(type) {
		case *ssa.UnOp:
			switch x.Op {
			case token.ARROW:
				u.Recvs = append(u.Recvs, x)
			case token.MUL:
				u.follow(x, intoCalls, seen) // load of a captured variable
			}
		case *ssa.Send:
			if x.Chan == v {
				u.Sends = append(u.Sends, x)
				if reqscope.InLoop(x) {
					u.InLoop = true
				}
			} else {
				u.Escapes = true // a channel sent on a channel
			}
		case *ssa.Select:
			for _, st := range x.States {
				if st.Chan != v {
					continue
				}
				if st.Dir == types.SendOnly {
					u.SelSend = true
				} else {
					u.SelRecv = append(u.SelRecv, x)
				}
			}
			for _, st := range x.States {
				if st.Send == v {
					u.Escapes = true
				}
			}
		case *ssa.Store:
			if x.Val == v {
				if _, ok := x.Addr.(*ssa.Alloc); ok {
					u.follow(x.Addr, intoCalls, seen) // a captured variable
				} else {
					u.Escapes = true
				}
			}
		case *ssa.MakeClosure:
			if reqscope.InLoop(x) {
				u.InLoop = true // one goroutine per iteration: sends not counted
			}
			for i, bnd := range x.Bindings {
				if bnd == v {
					u.follow(x.Fn.(*ssa.Function).FreeVars[i], intoCalls, seen)
				}
			}
		case *ssa.ChangeType, *ssa.Phi:
			u.follow(x.(ssa.Value), intoCalls, seen)
		case *ssa.Call:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "close":
					u.Closed = true
					continue
				case "len", "cap":
					continue
				}
			}
			if !intoCalls || !u.followCall(x, &x.Call, v, seen) {
				u.Escapes = true
			}
		case *ssa.Defer:
			if !intoCalls || !u.followCall(x, &x.Call, v, seen) {
				u.Escapes = true
			}
		case *ssa.Go:
			if reqscope.InLoop(x) {
				u.InLoop = true
			}
			if body := FuncOf(x.Call.Value); body != nil && x.Call.Value != v {
				for i, a := range x.Call.Args {
					if a == v && i < len(body.Params) {
						u.follow(body.Params[i], intoCalls, seen)
					}
				}
				continue
			}
			u.Escapes = true
		case *ssa.Return:
			u.Returns = append(u.Returns, x)
		case *ssa.BinOp:
			// ch != nil, ch == other: a comparison keeps nothing.
		case *ssa.DebugRef:
		default:
			u.Escapes = true
		}
	}
}

// followCall follows v into the function a static call gives it to.
func (u *ChanUse) followCall(instr ssa.Instruction, com *ssa.CallCommon, v ssa.Value, seen map[ssa.Value]bool) bool {
	callee := com.StaticCallee()
	if callee == nil || len(callee.Blocks) == 0 || com.Value == v {
		return false
	}
	for i, a := range com.Args {
		if a == v {
			if i >= len(callee.Params) {
				return false
			}
			u.follow(callee.Params[i], true, seen)
		}
	}
	return true
}

// MostOnPath counts, of instrs, the most that one path through their
// functions meets: in each function holding some, the most on one path
// from its entry (instructions on exclusive paths count once; a back edge
// adds nothing), summed over the functions.
//
// An instruction that runs only once a panic was recovered (under if r :=
// recover(); r != nil in a deferred function) does not count: the body it
// reports on did not complete, and counting it beside the body's own
// instructions would add a path no run takes.
func MostOnPath(instrs []ssa.Instruction) int {
	byFn := map[*ssa.Function]map[*ssa.BasicBlock]int{}
	for _, s := range instrs {
		if afterRecover(s.Block()) {
			continue
		}
		m := byFn[s.Parent()]
		if m == nil {
			m = map[*ssa.BasicBlock]int{}
			byFn[s.Parent()] = m
		}
		m[s.Block()]++
	}
	total := 0
	for fn, inBlock := range byFn {
		if len(fn.Blocks) == 0 {
			continue
		}
		memo := map[*ssa.BasicBlock]int{}
		var most func(b *ssa.BasicBlock) int
		most = func(b *ssa.BasicBlock) int {
			if v, ok := memo[b]; ok {
				if v < 0 {
					return 0 // a back edge
				}
				return v
			}
			memo[b] = -1
			best := 0
			for _, s := range b.Succs {
				if n := most(s); n > best {
					best = n
				}
			}
			memo[b] = inBlock[b] + best
			return memo[b]
		}
		total += most(fn.Blocks[0])
	}
	return total
}

// afterRecover reports whether b runs only where recover() returned a
// non-nil value.
func afterRecover(b *ssa.BasicBlock) bool {
	return NonNilBranch(b, func(x ssa.Value) bool {
		call, ok := x.(*ssa.Call)
		if !ok {
			return false
		}
		bi, ok := call.Call.Value.(*ssa.Builtin)
		return ok && bi.Name() == "recover"
	})
}

// NonNilBranch reports whether block b is reached only through the branch
// of a test x != nil (or the else of x == nil) on a value x that match
// accepts: the branch's block dominates b and is entered from the test
// alone.
func NonNilBranch(b *ssa.BasicBlock, match func(x ssa.Value) bool) bool {
	for d := b.Idom(); d != nil; b, d = d, d.Idom() {
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || len(d.Succs) != 2 {
			continue
		}
		cmp, ok := iff.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.NEQ && cmp.Op != token.EQL {
			continue
		}
		x, y := cmp.X, cmp.Y
		if c, ok := x.(*ssa.Const); ok && c.IsNil() {
			x, y = y, x
		}
		if c, ok := y.(*ssa.Const); !ok || !c.IsNil() || !match(x) {
			continue
		}
		taken := d.Succs[0]
		if cmp.Op == token.EQL {
			taken = d.Succs[1]
		}
		if taken.Dominates(b) && len(taken.Preds) == 1 {
			return true
		}
	}
	return false
}

// FewestOnReturn returns the fewest of the marked instructions that a run
// of fn meets before it returns normally: the least, over the paths from
// its entry to a return, of the marked instructions on the path, where a
// call or defer of a function with a body counts what that function meets
// on every run (depth-limited). It is -1 when no path returns.
func FewestOnReturn(fn *ssa.Function, marked map[ssa.Instruction]bool) int {
	return fewest(fn, marked, 0, map[*ssa.Function]int{})
}

func fewest(fn *ssa.Function, marked map[ssa.Instruction]bool, depth int, memo map[*ssa.Function]int) int {
	if v, ok := memo[fn]; ok {
		return v
	}
	memo[fn] = 0 // recursion: nothing certain
	if len(fn.Blocks) == 0 {
		return 0
	}
	weight := make([]int, len(fn.Blocks))
	ends := make([]bool, len(fn.Blocks)) // a call that does not return
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok && noReturn(&c.Call) {
				ends[b.Index] = true
			}
			if marked[instr] {
				weight[b.Index]++
				continue
			}
			if depth >= 3 {
				continue
			}
			var com *ssa.CallCommon
			switch c := instr.(type) {
			case *ssa.Call:
				com = &c.Call
			case *ssa.Defer:
				com = &c.Call
			}
			if com == nil {
				continue
			}
			if callee := com.StaticCallee(); callee != nil && callee != fn && len(callee.Blocks) > 0 {
				if n := fewest(callee, marked, depth+1, memo); n > 0 {
					weight[b.Index] += n
				}
			}
		}
	}
	// Shortest paths over non-negative block weights (Dijkstra, small
	// graphs: a linear scan for the next block).
	const inf = int(^uint(0) >> 1)
	dist := make([]int, len(fn.Blocks))
	done := make([]bool, len(fn.Blocks))
	for i := range dist {
		dist[i] = inf
	}
	dist[0] = weight[0]
	best := inf
	for {
		i := -1
		for j := range dist {
			if !done[j] && dist[j] != inf && (i < 0 || dist[j] < dist[i]) {
				i = j
			}
		}
		if i < 0 {
			break
		}
		done[i] = true
		b := fn.Blocks[i]
		if ends[i] {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && dist[i] < best {
			best = dist[i]
		}
		for _, s := range b.Succs {
			if d := dist[i] + weight[s.Index]; d < dist[s.Index] {
				dist[s.Index] = d
			}
		}
	}
	if best == inf {
		best = -1
	}
	memo[fn] = best
	return best
}

// noReturn reports whether the call never returns: os.Exit,
// runtime.Goexit, and the Fatal and Panic functions and methods of log and
// of loggers like it.
func noReturn(com *ssa.CallCommon) bool {
	var name, pkg string
	if callee := com.StaticCallee(); callee != nil {
		name = callee.Name()
		if callee.Pkg != nil {
			pkg = callee.Pkg.Pkg.Path()
		}
	} else if com.IsInvoke() {
		name = com.Method.Name()
	}
	switch {
	case pkg == "os" && name == "Exit", pkg == "runtime" && name == "Goexit":
		return true
	}
	switch name {
	case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "FailNow":
		return true
	}
	return false
}
