package orphanconn

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 7

// Analyzer is the orphanconn check.
var Analyzer = &analysis.Analyzer{
	Name:     "orphanconn",
	Doc:      checkdoc.Extract(doc, "orphanconn"),
	URL:      checkdoc.URL("orphanconn"),
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	if !usesChannels(pass) {
		return nil, nil
	}
	funcs := ssair.Of(pass).SrcFuncs()
	for _, fn := range funcs {
		if report.InTestFile(pass, fn.Pos()) {
			continue // a goroutine leaked by a test ends with the test binary
		}
		checkFunc(pass, r, fn, funcs)
		checkIgnoredCancel(pass, r, fn)
	}
	checkFields(pass, r, funcs)
	return nil, nil
}

// chanUses follows the channel made by mc, and, where its function returns
// it, into the callers of the package that receive it.
func chanUses(mc *ssa.MakeChan, funcs []*ssa.Function) *goflow.ChanUse {
	u := goflow.FollowChan(mc, false)
	if len(u.Returns) == 0 || u.Escapes {
		return u
	}
	for _, ret := range u.Returns {
		if ret.Parent() != mc.Parent() {
			return u // returned by a closure
		}
	}
	callers, ok := goflow.ResultUses(mc.Parent(), u, funcs)
	if !ok {
		return u
	}
	u.Returns = nil
	u.Merge(callers)
	return u
}

// usesChannels is the prefilter: the package has a go statement and a
// channel receive or select.
func usesChannels(pass *analysis.Pass) bool {
	for _, tv := range pass.TypesInfo.Types {
		if _, ok := tv.Type.(*types.Chan); ok {
			return true
		}
	}
	return false
}

// checkFunc judges each channel made in fn by what the code does with it.
func checkFunc(pass *analysis.Pass, r *report.Reporter, fn *ssa.Function, funcs []*ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeChan)
			if !ok {
				continue
			}
			u := chanUses(mc, funcs)
			checkChan(pass, r, fn, mc, u)
		}
	}
}

func checkChan(pass *analysis.Pass, r *report.Reporter, fn *ssa.Function, mc *ssa.MakeChan, u *goflow.ChanUse) {
	// Receives that can never complete.
	if !u.Escaped() && !u.Closed && len(u.Sends) == 0 && !u.SelSend {
		if reqscope.Of(fn).Kind == reqscope.Once {
			return // <-make(chan struct{}) in main: blocking forever on purpose
		}
		for _, rv := range u.Recvs {
			r.Report(analysis.Diagnostic{
				Pos:     rv.Pos(),
				Message: fmt.Sprintf("this receive blocks forever: the channel made at line %d is never sent to, closed or handed to anyone who could; its goroutine leaks with everything it holds", pass.Fset.Position(mc.Pos()).Line),
			})
		}
		return
	}
	if !u.Escaped() && !u.Closed && !u.SelSend && len(u.SelRecv) == 0 && len(u.Sends) > 0 {
		checkSometimesSent(pass, r, fn, mc, u)
		return
	}
	if u.Escaped() || u.Closed || len(u.SelRecv) == 0 {
		return
	}
	// A receiver that can give up: a select receiving from the channel and
	// from ctx.Done(), a timer or time.After.
	var giveUp *ssa.Select
	for _, sel := range u.SelRecv {
		if sel.Blocking && hasDoneCase(sel, u) {
			giveUp = sel
			break
		}
	}
	if giveUp == nil || len(u.Sends) == 0 {
		return
	}
	// A drain: a plain receive, or a select that receives from the
	// channel and cannot give up. Another select that gives up too does
	// not drain (a second wait for a second result, also abandoned on
	// cancellation).
	drained := len(u.Recvs) > 0
	for _, sel := range u.SelRecv {
		if sel != giveUp && !(sel.Blocking && hasDoneCase(sel, u)) {
			drained = true
		}
	}
	cap, known := goflow.ChanCap(mc)
	if !known {
		return
	}
	elem := mc.Type().Underlying().(*types.Chan).Elem()
	selLine := fmt.Sprint(pass.Fset.Position(giveUp.Pos()).Line)
	if giveUp.Parent() != fn {
		selLine += " of " + giveUp.Parent().Name() // a caller given the channel
	}
	switch {
	case drained:
		return
	case cap == 0:
		fixed := false
		for _, s := range u.Sends {
			if s.Parent() == fn {
				continue // the receiver's own send
			}
			d := analysis.Diagnostic{
				Pos:     s.Pos(),
				Message: fmt.Sprintf("this send on an unbuffered channel blocks forever once the receiver gives up (the select at line %s also waits on cancellation or a timer): the goroutine leaks%s; %s", selLine, holding(elem), unbufferedAdvice(u, elem)),
			}
			if !fixed && !u.InLoop && !holdsResource(elem) {
				if fix, ok := capacityFix(pass, mc, goflow.MostOnPath(u.Sends)); ok {
					d.SuggestedFixes = []analysis.SuggestedFix{fix}
					fixed = true
				}
			}
			r.Report(d)
		}
	case !u.InLoop && int64(goflow.MostOnPath(u.Sends)) > cap:
		n := goflow.MostOnPath(u.Sends)
		d := analysis.Diagnostic{
			Pos:     mc.Pos(),
			Message: fmt.Sprintf("this channel has room for %d values but %d sends can happen: once the receiver gives up (the select at line %s), the extra senders block forever; make its capacity %d", cap, n, selLine, n),
		}
		if fix, ok := capacityFix(pass, mc, n); ok && !holdsResource(elem) {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		r.Report(d)
	case holdsResource(elem):
		r.Report(analysis.Diagnostic{
			Pos:     giveUp.Pos(),
			Message: fmt.Sprintf("when this select gives up, a %s delivered later on the channel made at line %d is never received and never closed; in the giving-up case, start a goroutine that receives it and closes it", types.TypeString(elem, types.RelativeTo(fn.Pkg.Pkg)), pass.Fset.Position(mc.Pos()).Line),
		})
	}
}

// checkSometimesSent reports a plain receive, in a function that runs per
// request or connection, from a channel that the goroutines it started send
// on only on some of their paths (an error sent only when a copy fails: a
// copy that ends cleanly sends nothing), so that on the others the receive
// waits forever, and the function with everything it holds.
func checkSometimesSent(pass *analysis.Pass, r *report.Reporter, fn *ssa.Function, mc *ssa.MakeChan, u *goflow.ChanUse) {
	if s := reqscope.Of(fn); s.Kind != reqscope.Repeated {
		return // a server waiting for its first error
	}
	if u.InLoop {
		return
	}
	marked := map[ssa.Instruction]bool{}
	for _, s := range u.Sends {
		if s.Parent() == fn {
			return // the receiver's own send
		}
		marked[s] = true
	}
	for _, rv := range u.Recvs {
		if rv.Parent() != fn || reqscope.InLoop(rv) {
			return
		}
	}
	guaranteed := 0
	bodies := 0
	for _, sp := range goflow.Spawns(fn) {
		body := sp.Body
		if body == nil {
			continue
		}
		n := goflow.FewestOnReturn(body, marked)
		if n < 0 {
			return // a goroutine that never returns: its sends cannot be counted
		}
		guaranteed += n
		bodies++
	}
	if bodies == 0 {
		return
	}
	need := goflow.MostOnPath(u.Recvs)
	if need <= guaranteed {
		return
	}
	for _, rv := range u.Recvs {
		r.Report(analysis.Diagnostic{
			Pos:     rv.Pos(),
			Message: fmt.Sprintf("this receive can block forever: the goroutines given the channel made at line %d send on it only on some of their paths (%d certain sends for %d receives), and nothing closes it; when they end without sending, %s waits here forever (it runs %s) with everything it holds; send on every path (nil on success) or close the channel when done", pass.Fset.Position(mc.Pos()).Line, guaranteed, need, fn.Name(), reqscope.Of(fn).Why),
		})
		break
	}
}

func holding(elem types.Type) string {
	if holdsResource(elem) {
		return " with the " + types.TypeString(elem, func(p *types.Package) string { return p.Name() }) + " it was to deliver, which nobody closes"
	}
	return ""
}

// hasDoneCase reports whether the select has a receive case on ctx.Done(),
// a timer, time.After, or another stop channel (a done channel, another
// worker's result) whose case leaves: the receiver giving up on mc.
func hasDoneCase(sel *ssa.Select, u *goflow.ChanUse) bool {
	for i, st := range sel.States {
		if st.Dir != types.RecvOnly || !leavesLoop(sel, i) {
			continue
		}
		if goflow.IsDone(st.Chan) {
			return true
		}
		if !u.Has(st.Chan) && reqscope.InLoop(sel) {
			return true // a stop channel that ends the receiving loop
		}
	}
	return false
}

// leavesLoop reports whether the select's case i can be the receiver giving
// up: false when the case's body leads back to the same select, as in a loop
// that keeps receiving after cancellation until every sender has delivered
// (the standard library's fuzzing coordinator does that). When the case's
// body cannot be found, it is taken to give up.
func leavesLoop(sel *ssa.Select, i int) bool {
	if !reqscope.InLoop(sel) {
		return true
	}
	var body *ssa.BasicBlock
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
			if c, ok := cmp.Y.(*ssa.Const); ok && c.Int64() == int64(i) {
				for _, u := range *cmp.Referrers() {
					if iff, ok := u.(*ssa.If); ok {
						body = iff.Block().Succs[0]
					}
				}
			}
		}
	}
	if body == nil {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := []*ssa.BasicBlock{body}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == sel.Block() {
			return false
		}
		if !seen[b] {
			seen[b] = true
			stack = append(stack, b.Succs...)
		}
	}
	return true
}

// holdsResource reports whether values of t carry something that must be
// closed: a connection, or a struct with such a field, or anything with a
// Close method.
func holdsResource(t types.Type) bool {
	if closer(t) {
		return true
	}
	if st, ok := t.Underlying().(*types.Struct); ok {
		for f := range st.Fields() {
			if closer(f.Type()) {
				return true
			}
		}
	}
	return false
}

func closer(t types.Type) bool {
	if reqscope.IsConn(t) {
		return true
	}
	for _, tt := range []types.Type{t, types.NewPointer(t)} {
		if _, isPtr := t.(*types.Pointer); isPtr && tt != t {
			continue
		}
		if sel := types.NewMethodSet(tt).Lookup(nil, "Close"); sel != nil {
			return true
		}
	}
	return false
}

func unbufferedAdvice(u *goflow.ChanUse, elem types.Type) string {
	if holdsResource(elem) {
		return "make the channel buffered and, when giving up, receive the late value and close it, or select on ctx.Done() in the send and close it there"
	}
	if !u.InLoop {
		return fmt.Sprintf("give the channel a buffer of %d (one per send that can happen), or select on ctx.Done() in the send", goflow.MostOnPath(u.Sends))
	}
	return "select on ctx.Done() in the send, or give the channel a buffer as large as the number of senders"
}

// capacityFix returns a fix that gives the channel made by mc a capacity
// of n: make(chan T) becomes make(chan T, n), make(chan T, 1) becomes
// make(chan T, n).
func capacityFix(pass *analysis.Pass, mc *ssa.MakeChan, n int) (analysis.SuggestedFix, bool) {
	call := callAt(pass, mc.Pos())
	if call == nil || n <= 0 {
		return analysis.SuggestedFix{}, false
	}
	var edit analysis.TextEdit
	switch len(call.Args) {
	case 1:
		edit = analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(fmt.Sprintf(", %d", n))}
	case 2:
		if _, ok := call.Args[1].(*ast.BasicLit); !ok {
			return analysis.SuggestedFix{}, false
		}
		edit = analysis.TextEdit{Pos: call.Args[1].Pos(), End: call.Args[1].End(), NewText: []byte(fmt.Sprint(n))}
	default:
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Give the channel a buffer of %d", n),
		TextEdits: []analysis.TextEdit{edit},
	}, true
}

// callAt returns the make call whose opening parenthesis is at pos.
func callAt(pass *analysis.Pass, pos token.Pos) *ast.CallExpr {
	if !pos.IsValid() {
		return nil
	}
	path := ssair.PathAt(pass, pos)
	for _, n := range path {
		if call, ok := n.(*ast.CallExpr); ok && call.Lparen == pos {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "make" {
				return call
			}
			return nil
		}
	}
	return nil
}
