package copypipe

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 6

// Analyzer is the copypipe check.
var Analyzer = &analysis.Analyzer{
	Name:      "copypipe",
	Doc:       checkdoc.Extract(doc, "copypipe"),
	URL:       checkdoc.URL("copypipe"),
	Requires:  []*analysis.Analyzer{ssair.Analyzer, report.Analyzer},
	FactTypes: []analysis.Fact{new(copiesParams)},
	Run:       run,
}

// copiesParams marks a function that copies bytes from its parameter Src to
// its parameter Dst (SSA indices: a method's receiver is 0) and starts no
// goroutine: a helper one direction of a pipe runs. Ends says that on every
// path after the copy it closes, half-closes or arms a deadline on one of
// the two, so that the other direction is stopped.
type copiesParams struct {
	Dst, Src int
	Ends     bool
	Via      string
}

func (*copiesParams) AFact() {}
func (f *copiesParams) String() string {
	return fmt.Sprintf("copiesParams(%d<-%d ends=%v via %s)", f.Dst, f.Src, f.Ends, f.Via)
}

// A copy is one direction of a pipe: a call that moves bytes from src to
// dst, called directly, through a helper, or started with go.
type copy struct {
	instr    ssa.Instruction // the call, go statement or loop read
	fn       *ssa.Function   // the function holding instr
	spawn    *goflow.Spawn   // the goroutine it runs in, if any
	rs       *goflow.Spawn   // the goroutine whose arguments its roots are resolved through
	helper   *copiesParams   // the helper it calls, if any
	dst, src ssa.Value       // roots
}

// A site is a copy as written in one function, before roots are resolved.
type site struct {
	instr    ssa.Instruction
	dst, src ssa.Value
	helper   *copiesParams
	via      string
}

type checker struct {
	pass    *analysis.Pass
	helpers map[*ssa.Function]*copiesParams
}

var debug = false

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	if !relevant(pass) {
		return nil, nil
	}
	c := &checker{pass: pass, helpers: map[*ssa.Function]*copiesParams{}}
	funcs := ssair.Of(pass).SrcFuncs()
	spawnOf := map[*ssa.Function]*goflow.Spawn{}
	for _, fn := range funcs {
		for _, s := range goflow.Spawns(fn) {
			if s.Body != nil {
				s := s
				spawnOf[s.Body] = &s
			}
		}
	}
	// Helpers: functions that copy between two of their parameters and
	// start no goroutine. Two rounds, for helpers calling helpers.
	for round := 0; round < 2; round++ {
		for _, fn := range funcs {
			if fn.Parent() != nil || len(goflow.Spawns(fn)) > 0 || c.helpers[fn] != nil {
				continue
			}
			for _, s := range c.sites(fn) {
				d, sr := paramIndex(s.dst), paramIndex(s.src)
				if d < 0 || sr < 0 || d == sr {
					continue
				}
				roots := []ssa.Value{fn.Params[d], fn.Params[sr]}
				ends := s.helper != nil && s.helper.Ends || endsAfter(fn, s.instr, roots, nil, false)
				via := s.via
				if s.helper != nil {
					via = s.helper.Via
				}
				c.helpers[fn] = &copiesParams{Dst: d, Src: sr, Ends: ends, Via: via}
				break
			}
		}
	}
	for fn, f := range c.helpers {
		if obj, ok := fn.Object().(*types.Func); ok && (fn.Origin() == nil || fn.Origin() == fn) {
			pass.ExportObjectFact(obj, f)
		}
	}

	var copies []*copy
	for _, fn := range funcs {
		if c.helpers[fn] != nil {
			continue // represented where the helper is called
		}
		for _, s := range c.sites(fn) {
			cp := &copy{instr: s.instr, fn: fn, helper: s.helper}
			if g, ok := s.instr.(*ssa.Go); ok {
				cp.spawn = &goflow.Spawn{Go: g, Parent: fn}
			} else {
				cp.spawn = spawnOf[fn]
			}
			if fn.Parent() != nil {
				// A literal started with arguments: its parameters are
				// the arguments. A top-level function started with go
				// (go p.handle(c)) keeps its parameters.
				cp.rs = spawnOf[fn]
			}
			cp.dst, cp.src = goflow.Root(s.dst, cp.rs), goflow.Root(s.src, cp.rs)
			if cp.dst == cp.src {
				continue
			}
			copies = append(copies, cp)
			if debug {
				fmt.Printf("copy %s in %s: %v <- %v (go=%v helper=%v)\n", pass.Fset.Position(s.instr.Pos()), fn, cp.dst, cp.src, cp.spawn != nil, cp.helper)
			}
		}
	}
	c.checkCopiers(r, funcs, c.fieldCopies(funcs))
	reported := map[*copy]bool{}
	for i, a := range copies {
		for _, b := range copies[i+1:] {
			if a.dst != b.src || a.src != b.dst || reported[a] || reported[b] {
				continue
			}
			f := findLeak(a, b, spawnOf)
			if debug {
				fmt.Printf("pair %v / %v -> %v\n", pass.Fset.Position(a.instr.Pos()), pass.Fset.Position(b.instr.Pos()), f)
			}
			if f == nil {
				continue
			}
			reported[a], reported[b] = true, true
			r.Report(analysis.Diagnostic{Pos: f.pos, Message: f.message(pass, a, b)})
		}
	}
	return nil, nil
}

// sites returns the copies written in fn: io.Copy, io.CopyBuffer, io.CopyN,
// ReadFrom and WriteTo methods, calls of copying helpers (of this package
// or, through facts, of others), and loops that read from one value and
// write to another.
func (c *checker) sites(fn *ssa.Function) []site {
	var out []site
	var reads, writes []ssa.CallInstruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isDefer := instr.(*ssa.Defer); isDefer {
				continue
			}
			com := ci.Common()
			if d, s, via, ok := copyCall(com); ok {
				out = append(out, site{instr: instr, dst: d, src: s, via: via})
				continue
			}
			if h := c.helperOf(com); h != nil && h.Dst < len(com.Args) && h.Src < len(com.Args) {
				out = append(out, site{instr: instr, dst: com.Args[h.Dst], src: com.Args[h.Src], helper: h, via: h.Via})
				continue
			}
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			switch name, recv := method(com); {
			case recv != nil && name == "Read" && len(com.Args) >= 1 && isBytes(com.Args[len(com.Args)-1].Type()):
				reads = append(reads, ci)
			case recv != nil && name == "Write" && len(com.Args) >= 1 && isBytes(com.Args[len(com.Args)-1].Type()):
				writes = append(writes, ci)
			}
		}
	}
	for _, rd := range reads {
		_, rr := method(rd.Common())
		for _, wr := range writes {
			_, wv := method(wr.Common())
			if goflow.Root(rr, nil) == goflow.Root(wv, nil) || !sameCycle(rd.Block(), wr.Block()) {
				continue
			}
			out = append(out, site{instr: rd, dst: wv, src: rr, via: "a Read/Write loop"})
			break
		}
	}
	return out
}

func (c *checker) helperOf(com *ssa.CallCommon) *copiesParams {
	callee := com.StaticCallee()
	if callee == nil {
		return nil
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if h := c.helpers[callee]; h != nil {
		return h
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg() == c.pass.Pkg {
		return nil
	}
	var f copiesParams
	if c.pass.ImportObjectFact(obj, &f) {
		return &f
	}
	return nil
}

// method returns the name and receiver of a method call, or "" and nil.
func method(com *ssa.CallCommon) (string, ssa.Value) {
	if com.IsInvoke() {
		return com.Method.Name(), com.Value
	}
	if callee := com.StaticCallee(); callee != nil && callee.Signature.Recv() != nil && len(com.Args) > 0 {
		return callee.Name(), com.Args[0]
	}
	return "", nil
}

func isBytes(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// copyCall recognises a call that copies from a reader to a writer.
func copyCall(com *ssa.CallCommon) (dst, src ssa.Value, via string, ok bool) {
	if callee := com.StaticCallee(); callee != nil {
		if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg().Path() == "io" && len(com.Args) >= 2 {
			switch obj.Name() {
			case "Copy", "CopyBuffer", "CopyN":
				return com.Args[0], com.Args[1], "io." + obj.Name(), true
			}
		}
	}
	name, recv := method(com)
	if recv == nil || len(com.Args) == 0 {
		return nil, nil, "", false
	}
	arg := com.Args[len(com.Args)-1]
	sig := com.Signature()
	if sig.Params().Len() != 1 || sig.Results().Len() != 2 {
		return nil, nil, "", false
	}
	switch {
	case name == "ReadFrom" && typeis.Named(sig.Params().At(0).Type(), "io", "Reader"):
		return recv, arg, "ReadFrom", true
	case name == "WriteTo" && typeis.Named(sig.Params().At(0).Type(), "io", "Writer"):
		return arg, recv, "WriteTo", true
	}
	return nil, nil, "", false
}

func sameCycle(a, b *ssa.BasicBlock) bool {
	return ssair.Reaches(a.Succs, b, nil) && ssair.Reaches(b.Succs, a, nil)
}

// A finding: where and why.
type finding struct {
	pos  token.Pos
	at   *copy // the copy left blocked, for the message
	why  string
	what string // what to change
	// sends: the directions block on a channel, not in a copy (why and
	// what then say it all).
	sends bool
}

func (f *finding) message(pass *analysis.Pass, a, b *copy) string {
	if f.sends {
		often := ""
		if s := reqscope.Of(a.fn); s.Kind == reqscope.Repeated {
			often = " (this runs " + s.Why + ")"
		}
		return fmt.Sprintf("the two directions of a pipe between %s and %s %s%s; %s", name(pass, a.dst), name(pass, a.src), f.why, often, f.what)
	}
	other := b
	if f.at == b {
		other = a
	}
	at := f.at
	if at == nil {
		at = a
	}
	dn, sn := name(pass, at.dst), name(pass, at.src)
	often := ""
	if s := reqscope.Of(a.fn); s.Kind == reqscope.Repeated {
		often = ", and this runs " + s.Why
	}
	return fmt.Sprintf("one direction of a pipe between %s and %s: %s, so the copy at line %d stays blocked reading, with its goroutine and both connections, forever%s; %s",
		dn, sn, f.why, pass.Fset.Position(other.instr.Pos()).Line, often, f.what)
}

const closeBoth = "close both connections (or CloseWrite the destination) when either copy returns"

// findLeak decides whether the pipe made of copies a and b can leave one
// direction blocked forever.
func findLeak(a, b *copy, spawnOf map[*ssa.Function]*goflow.Spawn) *finding {
	roots := []ssa.Value{a.dst, a.src}
	// runsIn: the copy runs in the goroutine of starter itself, directly
	// or in a function literal it calls.
	runsIn := func(c *copy, starter *ssa.Function) bool {
		if _, isGo := c.instr.(*ssa.Go); isGo {
			return false
		}
		for x := c.fn; x != nil; x = x.Parent() {
			if x == starter {
				return true
			}
			if spawnOf[x] != nil {
				return false
			}
		}
		return false
	}
	var g, f *copy
	switch {
	case a.spawn != nil && runsIn(b, a.spawn.Parent):
		g, f = a, b
	case b.spawn != nil && runsIn(a, b.spawn.Parent):
		g, f = b, a
	case a.spawn != nil && b.spawn != nil && a.spawn.Parent == b.spawn.Parent:
		if f := bothInGo(a, b, roots); f != nil {
			return f
		}
		return sendsOutnumber(a, b)
	default:
		return nil // not concurrent: sequential copies are not a pipe
	}
	if !ends(g, roots) && !rearms(f) {
		return &finding{pos: g.instr.Pos(), at: g, why: "when this copy returns (its source reached EOF or failed) nothing closes either connection on every path", what: closeBoth}
	}
	if !endsBeforeWait(f, roots) {
		if w := waitsAfter(f); w != nil {
			return &finding{pos: f.instr.Pos(), at: f, why: "when this copy returns the function waits for the other goroutine before closing anything", what: closeBoth + ", before waiting"}
		}
		if local(f.fn, roots) {
			return &finding{pos: f.instr.Pos(), at: f, why: "when this copy returns nothing closes either connection on every path", what: closeBoth}
		}
	}
	return nil
}

// rearms reports whether c, a hand-written copy loop, arms a deadline on
// its source on every iteration before it reads (a UDP relay's idle
// timeout): left running alone, it ends within that timeout.
func rearms(c *copy) bool {
	b := c.instr.Block()
	if b == nil || c.src == nil {
		return false
	}
	for _, ob := range c.fn.Blocks {
		if ob != b && !sameCycle(ob, b) {
			continue
		}
		for _, instr := range ob.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			name, recv := method(call.Common())
			if (name == "SetDeadline" || name == "SetReadDeadline") && recv != nil && goflow.Root(recv, c.rs) == c.src {
				return true
			}
		}
	}
	return false
}

// bothInGo judges a pipe whose two directions run in goroutines started by
// the same function.
func bothInGo(a, b *copy, roots []ssa.Value) *finding {
	if a.spawn.Parent != b.spawn.Parent {
		return nil
	}
	f := a.spawn.Parent
	last := a.spawn.Go
	if reachesInstr(b.spawn.Go, a.spawn.Go) {
		last = b.spawn.Go
	} else if !reachesInstr(a.spawn.Go, b.spawn.Go) {
		last = b.spawn.Go
	}
	stops := func(in ssa.Instruction) bool {
		ci, ok := in.(ssa.CallInstruction)
		if !ok {
			return false
		}
		if _, isGo := in.(*ssa.Go); isGo || goflow.GoesOn(ci.Common()) {
			return false // starting a goroutine is no close
		}
		return closeLike(ci.Common(), roots, nil, 0, false)
	}
	deferred := defersClose(f, roots, nil, false)
	// Giving up: a select that waits on cancellation or a timer and, in that
	// case, returns with both copies running and nothing closed. The
	// caller cannot tell that the copies still use the connections, even
	// when they are its own.
	if !deferred {
		for _, sel := range selectsAfter(last) {
			for i, st := range sel.States {
				if st.Dir != types.RecvOnly || !goflow.IsDone(st.Chan) {
					continue
				}
				body := goflow.CaseBlock(sel, i)
				if body == nil || leadsBack(body, sel.Block()) {
					continue
				}
				if !goflow.BlockMeets(body, func(in ssa.Instruction) int {
					if stops(in) {
						return 1
					}
					return 0
				}) {
					return &finding{pos: st.Pos, at: a, why: fmt.Sprintf("on the cancellation case of this select %s returns while both copies still run, and nothing closes either connection on that path", f.Name()),
						what: "close both connections (or cancel what the copies honour) before returning on cancellation"}
				}
			}
		}
	}
	if ends(a, roots) || ends(b, roots) {
		if !waitsForBoth(f, last) || endsWith(a, roots, true) || endsWith(b, roots, true) {
			return nil
		}
		// The directions end only by cancelling a context, and the
		// starter waits for both: the cancel stops the other direction
		// only if the starter, before that wait, waits on a context and
		// then closes (sshtun's fix). Checked below, with a wait on a
		// context's Done not counted as the wait for both.
		if goflow.OnEveryPath(last, func(in ssa.Instruction) int {
			if stops(in) {
				return 1
			}
			if u, ok := in.(*ssa.UnOp); ok && u.Op == token.ARROW && goflow.IsDone(u.X) {
				return 0
			}
			if goflow.IsWait(in) {
				return -1
			}
			return 0
		}) {
			return nil
		}
		return &finding{pos: a.instr.Pos(), at: a, why: fmt.Sprintf("each direction, when it ends, only cancels a context that nothing closing the connections waits on before %s waits for both", f.Name()),
			what: closeBoth + " (wait for the context, close both, then wait for the goroutines)"}
	}
	// Neither direction stops the other when it ends. Closes in the
	// starter count only before it waits for both.
	if waitsForBoth(f, last) {
		met := goflow.OnEveryPath(last, func(in ssa.Instruction) int {
			if stops(in) {
				return 1
			}
			if goflow.IsWait(in) {
				return -1
			}
			return 0
		})
		if !met {
			return &finding{pos: a.instr.Pos(), at: a, why: fmt.Sprintf("%s waits for both directions before closing anything, and neither direction closes, half-closes or arms a deadline when it ends: a peer that goes silent blocks the other direction, and the wait, forever", f.Name()),
				what: closeBoth}
		}
		return nil
	}
	if deferred || !local(f, roots) {
		return nil // a parameter: the caller may close it once f returns
	}
	if !goflow.OnEveryPath(last, func(in ssa.Instruction) int {
		if stops(in) {
			return 1
		}
		return 0
	}) {
		return &finding{pos: a.instr.Pos(), at: a, why: fmt.Sprintf("when it returns nothing closes either connection, and %s, which started both goroutines, does not close them on every path", f.Name()), what: closeBoth}
	}
	return nil
}

// sendsOutnumber judges the channel a pipe's two goroutines report on:
// when, on every run, they send more values on it than its buffer holds
// plus the receives of the function that started them, the extra sends
// block forever once that function stops receiving, and their goroutines
// leak even though both copies ended.
func sendsOutnumber(a, b *copy) *finding {
	f := a.spawn.Parent
	var bodies []*ssa.Function
	for _, s := range []*goflow.Spawn{a.spawn, b.spawn} {
		body := s.Body
		if g, ok := s.Go.(*ssa.Go); ok && body == nil {
			body = goflow.FuncOf(g.Call.Value) // go helper(dst, src, done)
		}
		bodies = append(bodies, body)
	}
	for _, blk := range f.Blocks {
		for _, instr := range blk.Instrs {
			mc, ok := instr.(*ssa.MakeChan)
			if !ok {
				continue
			}
			u := goflow.FollowChan(mc, true)
			if u.Escaped() || u.Closed || u.InLoop || u.SelSend || len(u.Sends) == 0 {
				continue
			}
			marked := map[ssa.Instruction]bool{}
			inStarter := false
			for _, s := range u.Sends {
				marked[s] = true
				if s.Parent() == f {
					inStarter = true
				}
			}
			recvs := append([]ssa.Instruction(nil), u.Recvs...)
			for _, sel := range u.SelRecv {
				recvs = append(recvs, sel)
			}
			elsewhere := false
			for _, r := range recvs {
				if r.Parent() != f || reqscope.InLoop(r) {
					elsewhere = true // a drain, or a count the check cannot know
				}
			}
			if inStarter || elsewhere {
				continue
			}
			n := 0
			for _, body := range bodies {
				if body == nil {
					continue
				}
				if k := goflow.FewestOnReturn(body, marked); k > 0 {
					n += k
				}
			}
			capacity, known := goflow.ChanCap(mc)
			k := goflow.MostOnPath(recvs)
			if !known || int64(n) <= int64(k)+capacity {
				continue
			}
			extra := int64(n) - int64(k) - capacity
			return &finding{pos: mc.Pos(), sends: true,
				why:  fmt.Sprintf("send %d values on the channel made here, which has room for %d, and %s receives %d before it returns, so %d of the sends block forever and their goroutines leak with what they hold", n, capacity, f.Name(), k, extra),
				what: fmt.Sprintf("give the channel room for every send (capacity %d), or send in a select that can give up", n-k)}
		}
	}
	return nil
}

// leadsBack reports whether the block b leads back to the block of the
// select (a loop that keeps waiting after cancellation).
func leadsBack(b, sel *ssa.BasicBlock) bool {
	return b == sel || ssair.Reaches(b.Succs, sel, nil)
}

func reachesInstr(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		for _, in := range a.Block().Instrs {
			if in == a {
				return true
			}
			if in == b {
				return false
			}
		}
	}
	return ssair.Reaches(a.Block().Succs, b.Block(), nil)
}

// selectsAfter returns the blocking selects that may run after instr.
func selectsAfter(instr ssa.Instruction) []*ssa.Select {
	var out []*ssa.Select
	goflow.After(instr, func(in ssa.Instruction) bool {
		if s, ok := in.(*ssa.Select); ok && s.Blocking {
			out = append(out, s)
		}
		return true
	})
	return out
}

// waitsForBoth reports whether f, after instr, waits for both goroutines: a
// sync.WaitGroup Wait, or two receives (or a receive in a loop) on one
// channel.
func waitsForBoth(f *ssa.Function, instr ssa.Instruction) bool {
	recvs := map[ssa.Value]int{}
	both := false
	goflow.After(instr, func(in ssa.Instruction) bool {
		switch x := in.(type) {
		case *ssa.Call:
			if goflow.IsWait(x) {
				both = true
				return false
			}
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				ch := goflow.Root(x.X, nil)
				recvs[ch]++
				if recvs[ch] >= 2 || reqscope.InLoop(x) {
					both = true
					return false
				}
			}
		}
		return true
	})
	return both
}

// ends reports whether, after copy c returns, its goroutine or function
// closes, half-closes or arms a deadline on one of the roots (or cancels a
// context) on every path, directly, through a closure or helper it calls,
// or in a deferred call.
func ends(c *copy, roots []ssa.Value) bool { return endsWith(c, roots, false) }

// endsWith is ends, not counting a context cancel when noCancel is set.
func endsWith(c *copy, roots []ssa.Value, noCancel bool) bool {
	if c.helper != nil && c.helper.Ends {
		return true
	}
	if _, isGo := c.instr.(*ssa.Go); isGo {
		return false // go io.Copy(a, b): the goroutine ends with the copy
	}
	return endsAfter(c.fn, c.instr, roots, c.rs, noCancel)
}

// endsBeforeWait is ends for the copy in the starting function: a close
// that comes only after waiting for the other goroutine is too late, and a
// deferred one too when the function waits.
func endsBeforeWait(c *copy, roots []ssa.Value) bool {
	if c.helper != nil && c.helper.Ends {
		return true
	}
	if waitsAfter(c) == nil && defersClose(c.fn, roots, nil, false) {
		return true
	}
	return onEveryPath(c.instr, roots, nil, true, false)
}

func endsAfter(fn *ssa.Function, instr ssa.Instruction, roots []ssa.Value, spawn *goflow.Spawn, noCancel bool) bool {
	if defersClose(fn, roots, spawn, noCancel) {
		return true
	}
	return onEveryPath(instr, roots, spawn, false, noCancel)
}

func onEveryPath(instr ssa.Instruction, roots []ssa.Value, spawn *goflow.Spawn, stopAtWait, noCancel bool) bool {
	return goflow.OnEveryPath(instr, func(in ssa.Instruction) int {
		if _, isGo := in.(*ssa.Go); isGo {
			return 0
		}
		if stopAtWait && goflow.IsWait(in) {
			return -1
		}
		if ci, ok := in.(ssa.CallInstruction); ok && closeLike(ci.Common(), roots, spawn, 0, noCancel) {
			return 1
		}
		return 0
	})
}

func defersClose(fn *ssa.Function, roots []ssa.Value, spawn *goflow.Spawn, noCancel bool) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if d, ok := in.(*ssa.Defer); ok && closeLike(d.Common(), roots, spawn, 0, noCancel) {
				return true
			}
		}
	}
	return false
}

// closesIn reports whether fn contains a close-like call on the roots.
func closesIn(fn *ssa.Function, roots []ssa.Value, depth int, noCancel bool) bool {
	if fn == nil || depth > 3 {
		return false
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if ci, ok := in.(ssa.CallInstruction); ok {
				if _, isGo := in.(*ssa.Go); isGo {
					continue
				}
				if closeLike(ci.Common(), roots, nil, depth, noCancel) {
					return true
				}
			}
		}
	}
	return false
}

// closeLike reports whether the call closes, half-closes or puts a deadline
// on one of the roots, cancels a context, or calls a function literal or a
// function of the package that does.
func closeLike(com *ssa.CallCommon, roots []ssa.Value, spawn *goflow.Spawn, depth int, noCancel bool) bool {
	isRoot := func(v ssa.Value) bool {
		r := goflow.Root(v, spawn)
		for _, x := range roots {
			if r == x {
				return true
			}
		}
		return false
	}
	if isCancel(com.Value.Type()) && !com.IsInvoke() {
		return !noCancel
	}
	name, recv := method(com)
	if name == "" {
		if callee := com.StaticCallee(); callee != nil {
			name = callee.Name()
		}
	}
	if recv != nil && isRoot(recv) && closeName(name) {
		return true
	}
	if closeName(name) {
		for _, a := range com.Args {
			if isRoot(a) {
				return true
			}
		}
	}
	if !com.IsInvoke() {
		if body := goflow.FuncOf(com.Value); body != nil {
			if closesIn(body, roots, depth+1, noCancel) {
				return true
			}
		}
	}
	// A closure handed to a function that runs it: once.Do(closeBoth).
	for _, a := range com.Args {
		if body := goflow.FuncOf(a); body != nil && closesIn(body, roots, depth+1, noCancel) {
			return true
		}
	}
	return false
}

func closeName(name string) bool {
	switch name {
	case "SetDeadline", "SetReadDeadline", "Shutdown":
		return true
	}
	return strings.Contains(strings.ToLower(name), "close")
}

func isCancel(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && (n.Obj().Name() == "CancelFunc" || n.Obj().Name() == "CancelCauseFunc")
}

// waitsAfter returns a blocking wait that follows the copy in its function.
func waitsAfter(c *copy) ssa.Instruction {
	var w ssa.Instruction
	goflow.After(c.instr, func(in ssa.Instruction) bool {
		if goflow.IsWait(in) {
			w = in
			return false
		}
		return true
	})
	return w
}

// local reports whether the roots are made in fn (dialed, accepted): not
// parameters, free variables or globals, which an owner outside may close.
func local(fn *ssa.Function, roots []ssa.Value) bool {
	for _, r := range roots {
		switch r.(type) {
		case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
			return false
		}
		if in, ok := r.(ssa.Instruction); ok && in.Parent() != fn {
			return false
		}
		if u, ok := r.(*ssa.UnOp); ok && u.Op == token.MUL {
			return false // loaded from a field: someone else's
		}
		if _, ok := r.(*ssa.FieldAddr); ok {
			return false
		}
	}
	return true
}

// name names a connection as the source code does.
func name(pass *analysis.Pass, v ssa.Value) string {
	switch x := v.(type) {
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
		return x.Name()
	case *ssa.Alloc:
		if x.Comment != "" {
			return x.Comment
		}
	case *ssa.Extract:
		for _, ref := range refsOf(x) {
			if st, ok := ref.(*ssa.Store); ok && st.Val == x {
				if a, ok := st.Addr.(*ssa.Alloc); ok && a.Comment != "" {
					return a.Comment
				}
			}
		}
		if n := assignedTo(pass, x.Tuple.Pos(), x.Index); n != "" {
			return n
		}
		if c, ok := x.Tuple.(*ssa.Call); ok {
			if callee := c.Common().StaticCallee(); callee != nil {
				return "the connection from " + callee.Name()
			}
			if c.Common().IsInvoke() {
				return "the connection from " + c.Common().Method.Name()
			}
		}
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			if st, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
				if s, ok := st.Elem().Underlying().(*types.Struct); ok && fa.Field < s.NumFields() {
					return "field " + s.Field(fa.Field).Name()
				}
			}
		}
	}
	if n := v.Name(); n != "" && !strings.HasPrefix(n, "t") {
		return n
	}
	for _, ref := range refsOf(v) {
		if dr, ok := ref.(*ssa.DebugRef); ok {
			if id, ok := dr.Expr.(*ast.Ident); ok {
				return id.Name
			}
		}
	}
	return "the " + types.TypeString(v.Type(), func(p *types.Package) string { return p.Name() })
}

// assignedTo returns the name of the variable the index-th result of the
// call at pos is assigned to, or "".
func assignedTo(pass *analysis.Pass, pos token.Pos, index int) string {
	path := ssair.PathAt(pass, pos)
	for i, n := range path {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Lparen != pos || i+1 >= len(path) {
			continue
		}
		as, ok := path[i+1].(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || index >= len(as.Lhs) {
			return ""
		}
		if id, ok := as.Lhs[index].(*ast.Ident); ok && id.Name != "_" {
			return id.Name
		}
		return ""
	}
	return ""
}

func refsOf(v ssa.Value) []ssa.Instruction {
	if r := v.Referrers(); r != nil {
		return *r
	}
	return nil
}

func paramIndex(v ssa.Value) int {
	v = goflow.Root(v, nil)
	if p, ok := v.(*ssa.Parameter); ok {
		for i, q := range p.Parent().Params {
			if q == p {
				return i
			}
		}
	}
	return -1
}

// relevant is the prefilter: the package copies (io.Copy, io.CopyBuffer,
// io.CopyN, a ReadFrom or WriteTo method, a helper known by its fact), or
// starts goroutines and calls Read and Write methods (a copy loop).
func relevant(pass *analysis.Pass) bool {
	read, write, goStmt := false, false, false
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		switch fn.Name() {
		case "Copy", "CopyBuffer", "CopyN":
			if fn.Pkg() != nil && fn.Pkg().Path() == "io" {
				return true
			}
		case "ReadFrom", "WriteTo":
			return true
		case "Read":
			read = true
		case "Write":
			write = true
		}
		if fn.Pkg() != nil && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn, new(copiesParams)) {
			return true
		}
	}
	if !read || !write {
		return false
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if _, ok := n.(*ast.GoStmt); ok {
				goStmt = true
			}
			return !goStmt
		})
		if goStmt {
			return true
		}
	}
	return false
}
