package lifetime

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"github.com/proxylint/proxylint/internal/typeis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/ssair"
)

// A Birth is a resource created in a function.
type Birth struct {
	Value  ssa.Value       // the resource: a call, an Extract of one, or an allocation
	Instr  ssa.Instruction // the instruction that creates it
	Call   *ssa.Call       // the creating call, nil for an allocation
	Index  int             // the result of Call that is the resource
	Kind   Kind
	Origin string // what creates it: "logrus.Logger.WriterLevel", "io.Pipe", "http.Transport literal"
	// Via is set when the resource is created inside the callee, which
	// drops it on every call (Summary.Drops): Origin then names the callee
	// and Via where the callee creates it.
	Via string
}

// GoroutineParam returns the birth of the resource b, which its function
// hands to a goroutine it starts, go g(..., b, ...), as parameter i of g:
// from then on g owns it, and must release it (or hand it on) on every path
// of its own. FateOf follows it from g's entry.
func GoroutineParam(g *ssa.Function, i int, b Birth) Birth {
	return Birth{Value: g.Params[i], Instr: g.Blocks[0].Instrs[0], Kind: b.Kind, Origin: b.Origin, Via: b.Via}
}

// births is Births without the lock.
func (r *Result) births(fn *ssa.Function) []Birth {
	var out []Birth
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				out = append(out, r.callBirths(x)...)
			case *ssa.Alloc:
				if !x.Heap {
					continue
				}
				if TransportType(x.Type()) {
					if poolingTransport(x) {
						out = append(out, Birth{Value: x, Instr: x, Kind: Transport, Origin: typeName(x.Type()) + " literal"})
					}
				} else if startsGoroutineOn(x) && cellSource(x) == nil {
					// (A captured variable's cell holding a value made
					// elsewhere is no new object: the goroutine that
					// captures it is the caller's.)
					out = append(out, Birth{Value: x, Instr: x, Kind: r.kindOf(x, true), Origin: typeName(x.Type())})
				}
			}
		}
	}
	return out
}

func (r *Result) callBirths(call *ssa.Call) []Birth {
	callee := call.Call.StaticCallee()
	var out []Birth
	if isIOPipe(call) {
		if pipeReaderToGoroutine(call) {
			for _, ex := range extracts(call, 1) {
				out = append(out, Birth{Value: ex, Instr: call, Call: call, Index: 1, Kind: Writer, Origin: "io.Pipe (its reader is read by a goroutine)"})
				break
			}
		}
		return out
	}
	if r.tickersLeak() && isNewTicker(callee) {
		return append(out, Birth{Value: call, Instr: call, Call: call, Kind: Plain, Origin: "time.NewTicker"})
	}
	n := call.Call.Signature().Results().Len()
	sum, known := r.summaryOf(callee)
	if !known {
		// An interface method, a function value or a function without a
		// summary: only a result that can only be a pipe writer says what
		// it is (a PipeWriter exists to be read by someone), or a
		// listener's Accept.
		if r.acceptsNew(call, 0) {
			if exs := extracts(call, 0); n > 1 && len(exs) > 0 {
				out = append(out, Birth{Value: exs[0], Instr: call, Call: call, Index: 0, Kind: Plain, Origin: describeCall(&call.Call)})
			} else if n == 1 {
				out = append(out, Birth{Value: call, Instr: call, Call: call, Index: 0, Kind: Plain, Origin: describeCall(&call.Call)})
			}
			return out
		}
		for i := range n {
			if !isPipeWriter(call.Call.Signature().Results().At(i).Type()) {
				continue
			}
			v := ssa.Value(call)
			if n > 1 {
				exs := extracts(call, i)
				if len(exs) == 0 {
					continue
				}
				v = exs[0]
			}
			out = append(out, Birth{Value: v, Instr: call, Call: call, Index: i, Kind: Writer, Origin: describeCall(&call.Call)})
		}
		return out
	}
	if headDo(call) {
		return nil // a HEAD response has no body to hold a connection
	}
	for i := range n {
		if !sum.FreshResult(i) && !sum.GoroutineResult(i) && sum.Wraps == 0 {
			continue
		}
		var v ssa.Value
		if n == 1 {
			v = call
		} else if exs := extracts(call, i); len(exs) > 0 {
			v = exs[0]
		}
		if v == nil || !r.freshV(v) && !r.goroutineBackedV(v) {
			continue
		}
		kind := r.kindOf(v, r.goroutineBackedV(v))
		if i < 64 && sum.Transport&(1<<i) != 0 {
			kind = Transport
		}
		out = append(out, Birth{Value: v, Instr: call, Call: call, Index: i, Kind: kind, Origin: describeCall(&call.Call)})
	}
	if sum.Drops != "" && len(out) == 0 {
		out = append(out, Birth{Instr: call, Call: call, Index: -1, Kind: sum.DropsKind, Origin: describeCall(&call.Call), Via: sum.Drops})
	}
	return out
}

// headDo reports whether call sends a HEAD request through Client.Do or
// Transport.RoundTrip: its request is made by http.NewRequest or
// NewRequestWithContext with the constant method "HEAD".
func headDo(call *ssa.Call) bool {
	obj := funcObject(call.Call.StaticCallee())
	if obj == nil || !responseSeed(obj) || (obj.Name() != "Do" && obj.Name() != "RoundTrip") || len(call.Call.Args) < 2 {
		return false
	}
	ex, ok := call.Call.Args[1].(*ssa.Extract)
	if !ok || ex.Index != 0 {
		return false
	}
	mk, ok := ex.Tuple.(*ssa.Call)
	if !ok {
		return false
	}
	m := funcObject(mk.Call.StaticCallee())
	if m == nil || m.Pkg() == nil || m.Pkg().Path() != "net/http" {
		return false
	}
	var method ssa.Value
	switch m.Name() {
	case "NewRequest":
		method = mk.Call.Args[0]
	case "NewRequestWithContext":
		method = mk.Call.Args[1]
	default:
		return false
	}
	k, ok := method.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.String && constant.StringVal(k.Value) == "HEAD"
}

// isNewTicker reports whether fn is time.NewTicker.
func isNewTicker(fn *ssa.Function) bool {
	obj := funcObject(fn)
	return obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "NewTicker"
}

func isPipeWriter(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && typeis.Named(p.Elem(), "io", "PipeWriter")
}

// describeCall names the function a call calls, as "pkg.Type.Method" or
// "pkg.Func".
func describeCall(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		t := types.Unalias(c.Value.Type())
		if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
			return n.Obj().Pkg().Name() + "." + n.Obj().Name() + "." + c.Method.Name()
		}
		if tp, ok := t.(*types.TypeParam); ok {
			return tp.Obj().Name() + "." + c.Method.Name()
		}
		return c.Method.Name()
	}
	if callee := c.StaticCallee(); callee != nil {
		return calleeName(callee)
	}
	return "a function value"
}

// kindOf classifies a resource value.
func (r *Result) kindOf(v ssa.Value, goroutine bool) Kind {
	t := v.Type()
	switch {
	case TransportType(t) || types.NewMethodSet(t).Lookup(nil, "CloseIdleConnections") != nil:
		return Transport
	case goroutine && implementsWriter(t):
		return Writer
	case goroutine:
		return Goroutine
	}
	return Plain
}

func implementsWriter(t types.Type) bool {
	ms := types.NewMethodSet(t)
	if ms.Lookup(nil, "Write") != nil {
		return true
	}
	if _, ok := t.Underlying().(*types.Pointer); !ok {
		if _, ok := t.Underlying().(*types.Interface); !ok {
			return types.NewMethodSet(types.NewPointer(t)).Lookup(nil, "Write") != nil
		}
	}
	return false
}

// TransportType reports whether t is *http.Transport or *http2.Transport.
func TransportType(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	return typeis.Named(p.Elem(), "net/http", "Transport") || typeis.Named(p.Elem(), "golang.org/x/net/http2", "Transport")
}

func typeName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil {
		return n.Obj().Pkg().Name() + "." + n.Obj().Name()
	}
	return types.TypeString(t, nil)
}

// A Fate is what becomes of a resource in the function that creates it.
type Fate struct {
	Disposals []Disposal
	// Leaks are the returns of the function reachable from the birth on a
	// path where nothing releases, returns, or hands the resource to an
	// owner that releases it (the branch where its creation failed is not
	// such a path).
	Leaks []*ssa.Return
	// Lost is set when no path disposes of it for good: it is never
	// released, returned, or kept.
	Lost bool
	// Held names the holder it is lost into when every disposal is a held
	// one ("exec.Cmd.Stdout", "log.New").
	Held string
	// Returned is set when some path returns it to the caller unheld.
	Returned bool
}

// fateOf is FateOf without the lock.
func (r *Result) fateOf(b Birth) Fate {
	var f Fate
	if b.Value == nil {
		f.Lost = true
		return f
	}
	f.Disposals = r.disposals(b.Value)
	stop := map[ssa.Instruction]bool{}
	for _, d := range f.Disposals {
		if d.Releasing() {
			stop[d.Instr] = true
			if mc, ok := d.Instr.(*ssa.MakeClosure); ok {
				// A closure that releases it runs where it is deferred,
				// or in the goroutine it is started in (which, started
				// before the value is assigned to the variable it
				// captures, sees it all the same).
				for _, ref := range *mc.Referrers() {
					if df, ok := ref.(*ssa.Defer); ok && df.Call.Value == mc {
						stop[df] = true
					}
					if g, ok := ref.(*ssa.Go); ok && g.Call.Value == mc {
						stop[g] = true
					}
				}
			}
			if d.How == Returned {
				f.Returned = true
			}
		} else if f.Held == "" {
			f.Held = d.Holder
		}
	}
	// A view of a resource (tls.Client around a dialed connection) is
	// released when what it wraps is closed (defer raw.Close()), and so is
	// a value built on a view of it (a framing session on that tls.Conn).
	if b.Call != nil {
		r.innerClosed(b.Call, stop, 0)
	}
	f.Lost = len(stop) == 0
	// A call that never returns (a serving loop given a context nothing
	// cancels) ends every path through it: the resource lives as long as
	// the process.
	if fn := b.Instr.Parent(); fn != nil {
		for _, call := range r.foreverCalls(fn) {
			stop[call] = true
		}
	}
	aliases := Aliases(b.Value)
	var errv ssa.Value
	if b.Call != nil {
		errv = errResult(b.Call)
	}
	from := b.Instr
	if _, isParam := b.Value.(*ssa.Parameter); isParam {
		from = nil // from the function's entry
	}
	f.Leaks = leakingReturns(b.Instr.Parent(), from, stop, aliases, companions(b), errv)
	sort.Slice(f.Leaks, func(i, j int) bool { return f.Leaks[i].Pos() < f.Leaks[j].Pos() })
	if len(f.Leaks) == 0 {
		f.Lost = false
	}
	return f
}

// innerClosed marks in stop the closes of what call's result wraps: the
// arguments its callee's summary says the results are a view of, and,
// through them, what those arguments wrap in turn.
func (r *Result) innerClosed(call *ssa.Call, stop map[ssa.Instruction]bool, depth int) {
	sum, _ := r.summaryOf(call.Call.StaticCallee())
	if sum.Wraps == 0 || depth > 3 {
		return
	}
	for j, a := range call.Call.Args {
		if j >= 64 || sum.Wraps&(1<<j) == 0 {
			continue
		}
		for _, d := range r.disposals(a) {
			if d.How == Closed {
				stop[d.Instr] = true
			}
		}
		for {
			switch x := a.(type) {
			case *ssa.MakeInterface:
				a = x.X
				continue
			case *ssa.ChangeType:
				a = x.X
				continue
			case *ssa.ChangeInterface:
				a = x.X
				continue
			}
			break
		}
		if inner, ok := a.(*ssa.Call); ok {
			for _, d := range r.disposals(inner) {
				if d.How == Closed {
					stop[d.Instr] = true
				}
			}
			r.innerClosed(inner, stop, depth+1)
		}
	}
}

// onEveryCall reports whether instr runs on every call of its function that
// returns: its block dominates every block that returns.
func onEveryCall(instr ssa.Instruction) bool {
	b := instr.Block()
	if b == nil {
		return false
	}
	for _, rb := range b.Parent().Blocks {
		if _, ok := rb.Instrs[len(rb.Instrs)-1].(*ssa.Return); ok && !b.Dominates(rb) {
			return false
		}
	}
	return true
}

// drops returns the resource fn creates and loses on every call, if any.
func (r *Result) drops(fn *ssa.Function) *Birth {
	for _, b := range r.births(fn) {
		if b.Via != "" {
			// A callee that drops one on every call.
			bb := b
			bb.Origin = b.Via
			return &bb
		}
		f := r.fateOf(b)
		if !f.Lost || b.Kind == Plain {
			// Plain resources lost on every call are reported where they
			// are created; only goroutines and transports travel to callers.
			continue
		}
		if !onEveryCall(b.Instr) {
			// Built only on some paths (certmagic builds its OCSP
			// transport only when a proxy is configured): not what every
			// call does.
			continue
		}
		p := r.pass.Fset.Position(b.Instr.Pos())
		bb := b
		bb.Origin = fmt.Sprintf("%s (%s:%d)", b.Origin, filepath.Base(p.Filename), p.Line)
		return &bb
	}
	return nil
}

// errResult returns the value of the call's last result when it is an
// error.
func errResult(call *ssa.Call) ssa.Value {
	res := call.Call.Signature().Results()
	if res.Len() < 2 || !types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return nil
	}
	for _, ex := range extracts(call, res.Len()-1) {
		return ex
	}
	return nil
}

// prune returns the successors of b that can be taken while the resource
// exists: the branch where the creation failed (err != nil, v == nil) is not.
// errs holds the values that are the creation's error on the path walked
// (its error result, and phis that merged it in from the block the path came
// through).
func prune(b *ssa.BasicBlock, aliases, nilFail map[ssa.Value]bool, errs map[ssa.Value]bool) []*ssa.BasicBlock {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || len(b.Succs) != 2 {
		return b.Succs
	}
	if errTest(ifi.Cond, errs) {
		// os.IsNotExist(err), errors.Is(err, x): true only where the
		// creation failed.
		return b.Succs[1:]
	}
	if neverClosedRecv(ifi.Cond) {
		// for range ticker.C: a ticker's channel is never closed, so
		// the loop never ends.
		return b.Succs[:1]
	}
	cond, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || (cond.Op != token.EQL && cond.Op != token.NEQ) {
		return b.Succs
	}
	x, y := cond.X, cond.Y
	if aliases[y] {
		x, y = y, x
	}
	if aliases[x] && preexisting(y) {
		// out != os.Stdout: a value created here is never one that
		// existed before it.
		if cond.Op == token.NEQ {
			return b.Succs[:1]
		}
		return b.Succs[1:]
	}
	if isNilConst(x) {
		x, y = y, x
	}
	if !isNilConst(y) {
		return b.Succs
	}
	if neverFails(x, 0) {
		// err != nil where the callee's error is nil on every return:
		// the true branch is never taken.
		if cond.Op == token.NEQ {
			return b.Succs[1:]
		}
		return b.Succs[:1]
	}
	isErr := errs[x]
	if !isErr {
		for e := range errs {
			if derivesFrom(x, e) {
				isErr = true
				break
			}
		}
	}
	switch {
	case isErr:
		// err != nil: the true branch has no resource.
		if cond.Op == token.NEQ {
			return b.Succs[1:]
		}
		return b.Succs[:1]
	case aliases[x] || nilFail[x]:
		// v == nil: the true branch has no resource.
		if cond.Op == token.EQL {
			return b.Succs[1:]
		}
		return b.Succs[:1]
	}
	return b.Succs
}

// neverClosedRecv reports whether cond is the ok of a receive from a
// channel the standard library never closes: a time.Ticker's or a
// time.Timer's C, or what time.Tick returns. A range over one never ends.
func neverClosedRecv(cond ssa.Value) bool {
	ex, ok := cond.(*ssa.Extract)
	if !ok || ex.Index != 1 {
		return false
	}
	recv, ok := ex.Tuple.(*ssa.UnOp)
	if !ok || recv.Op != token.ARROW || !recv.CommaOk {
		return false
	}
	switch ch := recv.X.(type) {
	case *ssa.UnOp: // a load of ticker.C
		if fa, ok := ch.X.(*ssa.FieldAddr); ok && ch.Op == token.MUL {
			if pt, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
				return (typeis.Named(pt.Elem(), "time", "Ticker") || typeis.Named(pt.Elem(), "time", "Timer")) && fieldVar(fa) != nil && fieldVar(fa).Name() == "C"
			}
		}
	case *ssa.Call:
		if fn := ch.Call.StaticCallee(); fn != nil {
			obj := funcObject(fn)
			return obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "Tick"
		}
	}
	return false
}

// companions returns the other results of the call that created b, other
// than its error, and their aliases: ln, addr := listen() with addr nil
// exactly where listening failed. A nil test of one is taken for a test of
// the creation's failure, as a nil test of the resource itself is.
func companions(b Birth) map[ssa.Value]bool {
	out := map[ssa.Value]bool{}
	if b.Call == nil || b.Call.Referrers() == nil {
		return out
	}
	errv := errResult(b.Call)
	for _, ref := range *b.Call.Referrers() {
		ex, ok := ref.(*ssa.Extract)
		if !ok || ex.Index == b.Index || ex == errv {
			continue
		}
		switch ex.Type().Underlying().(type) {
		case *types.Pointer, *types.Interface, *types.Map, *types.Slice, *types.Chan, *types.Signature:
			for v := range Aliases(ex) {
				out[v] = true
			}
		}
	}
	return out
}

// preexisting reports whether v denotes a value that existed before the
// function ran: a package-level variable or a parameter.
func preexisting(v ssa.Value) bool {
	v = ssair.Unconvert(v)
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		_, isGlobal := u.X.(*ssa.Global)
		return isGlobal
	}
	_, isParam := v.(*ssa.Parameter)
	return isParam
}

// errPredicate reports whether obj is a test of an error that holds only
// for a non-nil one: errors.Is and errors.As, os.IsNotExist and its kin, and
// any function of that shape (a project's re-export of errors.Is, an
// IsTimeout(err)): named As or Is..., taking the error first and returning
// only a bool.
func errPredicate(obj *types.Func) bool {
	sig := obj.Signature()
	if sig.Recv() != nil || sig.Params().Len() == 0 || sig.Results().Len() != 1 {
		return false
	}
	if !types.Identical(sig.Params().At(0).Type(), types.Universe.Lookup("error").Type()) || !types.Identical(sig.Results().At(0).Type(), types.Typ[types.Bool]) {
		return false
	}
	name := strings.ToLower(obj.Name())
	return name == "as" || strings.HasPrefix(name, "is")
}

// errTest reports whether cond is a test that holds only for a non-nil
// error of the creation: os.IsNotExist(err) and its kin, errors.Is or
// errors.As on it, or a function of their shape.
func errTest(cond ssa.Value, errs map[ssa.Value]bool) bool {
	call, ok := cond.(*ssa.Call)
	if !ok || len(call.Call.Args) == 0 {
		return false
	}
	obj := funcObject(call.Call.StaticCallee())
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	if !errPredicate(obj) {
		return false
	}
	arg := call.Call.Args[0]
	if errs[arg] {
		return true
	}
	for e := range errs {
		if derivesFrom(arg, e) {
			return true
		}
	}
	return false
}

// derivesFrom reports whether x is errv, or a phi or variable load every
// edge of which is errv or nil (err reassigned after a switch, or inside a
// closure).
func derivesFrom(x, errv ssa.Value) bool {
	if x == errv {
		return true
	}
	switch x := x.(type) {
	case *ssa.Phi:
		found := false
		for _, e := range x.Edges {
			if e == errv {
				found = true
			} else if !isNilConst(e) {
				return false
			}
		}
		return found
	case *ssa.UnOp:
		// A variable's load: a local cell, or one captured from the
		// enclosing function (fd, err = open() in a closure, with err
		// declared outside).
		var cell ssa.Value
		switch c := x.X.(type) {
		case *ssa.Alloc:
			cell = c
		case *ssa.FreeVar:
			cell = c
		}
		if cell != nil && x.Op == token.MUL {
			for _, ref := range *cell.Referrers() {
				if st, ok := ref.(*ssa.Store); ok && st.Addr == cell && st.Val == errv {
					return true
				}
			}
		}
	}
	return false
}

// neverFails reports whether v is the error result of a call of a function
// of this package that returns a nil error on every return (a validator or a
// writer that cannot fail, with an error in its signature for an interface):
// a test of it for nil goes one way only. Results stored in named result
// cells (a deferred function may set them) are not followed.
func neverFails(v ssa.Value, depth int) bool {
	if depth > 3 || !types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !neverFails(e, depth+1) {
				return false
			}
		}
		return len(v.Edges) > 0
	case *ssa.Extract:
		call, ok := v.Tuple.(*ssa.Call)
		if !ok || v.Index != call.Call.Signature().Results().Len()-1 {
			return false
		}
		return returnsNilErr(call.Call.StaticCallee(), depth+1)
	case *ssa.Call:
		return returnsNilErr(v.Call.StaticCallee(), depth+1)
	}
	return false
}

// returnsNilErr reports whether fn, built from source, has a return and
// returns a nil error (its last result) on every one.
func returnsNilErr(fn *ssa.Function, depth int) bool {
	if fn == nil || len(fn.Blocks) == 0 || fn.Recover != nil {
		return false
	}
	res := fn.Signature.Results()
	if res.Len() == 0 || !types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	returns := 0
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		returns++
		if !neverFails(ret.Results[len(ret.Results)-1], depth) {
			return false
		}
	}
	return returns > 0
}

func isNilConst(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// leakingReturns returns the return instructions reachable from just after
// the creation without passing a disposal, on paths where the creation
// succeeded.
func leakingReturns(fn *ssa.Function, from ssa.Instruction, stop map[ssa.Instruction]bool, aliases, nilFail map[ssa.Value]bool, errv ssa.Value) []*ssa.Return {
	var out []*ssa.Return
	seenRet := map[*ssa.Return]bool{}
	// scan reports whether the rest of the block (from index i) is free
	// of disposals, and records its return.
	reborn := false
	scan := func(b *ssa.BasicBlock, i int) bool {
		reborn = false
		for ; i < len(b.Instrs); i++ {
			if stop[b.Instrs[i]] {
				return false
			}
			if from != nil && b.Instrs[i] == from {
				// Round a loop to the creation again: the error it
				// returns now is the next value's, not this one's.
				reborn = true
			}
			if ret, ok := b.Instrs[i].(*ssa.Return); ok && !seenRet[ret] {
				seenRet[ret] = true
				out = append(out, ret)
			}
		}
		return true
	}
	var start *ssa.BasicBlock
	if from != nil {
		start = from.Block()
	} else if fn != nil && len(fn.Blocks) > 0 {
		start = fn.Blocks[0] // a parameter: from the entry
	}
	if start == nil {
		return nil
	}
	// A disposal deferred before the creation (a deferred closure that
	// closes the variable) runs on every exit.
	for instr := range stop {
		if from == nil {
			break
		}
		if d, ok := instr.(*ssa.Defer); ok && d.Block() != nil && (d.Block() == start && d.Pos() < from.Pos() || d.Block() != start && d.Block().Dominates(start)) {
			return nil
		}
		if g, ok := instr.(*ssa.Go); ok && g.Block() != nil && (g.Block() == start && g.Pos() < from.Pos() || g.Block() != start && g.Block().Dominates(start)) {
			// A goroutine started before the creation that releases the
			// variable it captures (go func() { <-ctx.Done(); srv.Close()
			// }(), then srv = newServer()).
			return nil
		}
	}
	idx := 0
	for i, instr := range start.Instrs {
		if instr == from {
			idx = i + 1
		}
	}
	if !scan(start, idx) {
		return nil
	}
	// The walk carries the phis that are the creation's error on the path
	// taken (an err merged after a switch): a block is revisited only with
	// a new such set.
	// It also carries the boolean flags set on the path taken (ok :=
	// false; if ... { v, err = open(); ...; ok = true }; if ok { v.Close() }):
	// a branch on a flag whose value the path fixed goes one way only.
	// And it carries the outcomes of conditions tested again later
	// (conds.go).
	type state struct {
		b     *ssa.BasicBlock
		errs  map[ssa.Value]bool
		flags map[ssa.Value]bool
		conds map[string]bool
	}
	key := func(st state) string {
		names := make([]string, 0, len(st.errs)+len(st.flags)+len(st.conds))
		for c, val := range st.conds {
			names = append(names, fmt.Sprintf("%s=%v", c, val))
		}
		for v := range st.errs {
			names = append(names, v.Name())
		}
		for v, val := range st.flags {
			names = append(names, fmt.Sprintf("%s=%v", v.Name(), val))
		}
		sort.Strings(names)
		return fmt.Sprint(st.b.Index, names)
	}
	errs0 := map[ssa.Value]bool{}
	if errv != nil {
		errs0[errv] = true
	}
	repeated := repeatedConds(start.Parent())
	next := func(b *ssa.BasicBlock, errs, flags map[ssa.Value]bool, conds map[string]bool) []state {
		var out []state
		for _, succ := range pruneConds(b, conds, pruneFlags(b, flags, prune(b, aliases, nilFail, errs))) {
			nc := phiConds(b, succ, forgetConds(succ.Instrs, 0, branchConds(b, succ, conds, repeated)), repeated)
			ne, copied := errs, false
			nf, fcopied := flags, false
			for _, instr := range succ.Instrs {
				phi, ok := instr.(*ssa.Phi)
				if !ok {
					break
				}
				for i, p := range succ.Preds {
					if p != b || i >= len(phi.Edges) {
						continue
					}
					e := phi.Edges[i]
					if errs[e] {
						if !copied {
							copied = true
							ne = map[ssa.Value]bool{}
							for v := range errs {
								ne[v] = true
							}
						}
						ne[phi] = true
					}
					val, known := boolConst(e)
					if !known {
						val, known = flags[e]
					}
					if _, slice := phi.Type().Underlying().(*types.Slice); slice && nonEmpty(e, flags) {
						// A slice the path appended to: len > 0.
						val, known = true, true
					} else if _, slice := phi.Type().Underlying().(*types.Slice); slice {
						known = false
						if nf[phi] {
							// Entered again from a path that did not
							// append: no longer known.
							if !fcopied {
								fcopied = true
								nf = map[ssa.Value]bool{}
								for v, x := range flags {
									nf[v] = x
								}
							}
							delete(nf, phi)
						}
					}
					if known && (types.Identical(phi.Type().Underlying(), types.Typ[types.Bool]) || isSlice(phi.Type())) {
						if !fcopied {
							fcopied = true
							nf = map[ssa.Value]bool{}
							for v, x := range flags {
								nf[v] = x
							}
						}
						nf[phi] = val
					}
				}
			}
			out = append(out, state{succ, ne, nf, nc})
		}
		return out
	}
	seen := map[string]bool{}
	var conds0 map[string]bool
	if from != nil && len(repeated) > 0 {
		conds0 = forgetConds(start.Instrs, idx, dominatingConds(start, repeated))
	}
	stack := next(start, errs0, nil, conds0)
	for steps := 0; len(stack) > 0 && steps < 10000; steps++ {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		k := key(st)
		if seen[k] {
			continue
		}
		seen[k] = true
		if scan(st.b, 0) {
			errs := st.errs
			if reborn {
				errs = map[ssa.Value]bool{}
			}
			stack = append(stack, next(st.b, errs, st.flags, st.conds)...)
		}
	}
	return out
}

// boolConst reports the value of a boolean constant.
func boolConst(v ssa.Value) (val, ok bool) {
	k, isConst := v.(*ssa.Const)
	if !isConst || k.Value == nil || k.Value.Kind() != constant.Bool {
		return false, false
	}
	return constant.BoolVal(k.Value), true
}

func isSlice(t types.Type) bool {
	_, ok := t.Underlying().(*types.Slice)
	return ok
}

// nonEmpty reports whether the slice v has at least one element on the path
// walked: the result of an append of one or more values, or a phi that
// merged such a slice in from the block the path came through (flags).
func nonEmpty(v ssa.Value, flags map[ssa.Value]bool) bool {
	if _, ok := v.(*ssa.Phi); ok {
		return flags[v]
	}
	call, ok := v.(*ssa.Call)
	if !ok || len(call.Call.Args) != 2 {
		return false
	}
	if bi, ok := call.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "append" {
		return false
	}
	// append(s, x, ...) passes its values as a slice of a varargs array.
	sl, ok := call.Call.Args[1].(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := sl.X.(*ssa.Alloc)
	return ok && arr.Comment == "varargs"
}

// lenTest reports, for a branch on len(s) compared with 0, whether its
// true branch is the one taken when s is not empty; ok is false for other
// conditions.
func lenTest(cond ssa.Value, flags map[ssa.Value]bool) (taken, ok bool) {
	bin, isBin := cond.(*ssa.BinOp)
	if !isBin {
		return false, false
	}
	call, isCall := bin.X.(*ssa.Call)
	k, isConst := bin.Y.(*ssa.Const)
	if !isCall || !isConst || k.Value == nil || k.Value.Kind() != constant.Int || constant.Sign(k.Value) != 0 {
		return false, false
	}
	if bi, isBi := call.Call.Value.(*ssa.Builtin); !isBi || bi.Name() != "len" || len(call.Call.Args) != 1 || !nonEmpty(call.Call.Args[0], flags) {
		return false, false
	}
	switch bin.Op {
	case token.EQL, token.LEQ:
		return false, true
	case token.NEQ, token.GTR:
		return true, true
	}
	return false, false
}

// pruneFlags keeps, of succs (b's successors still possible), the one a
// branch on a flag of known value takes, and the one a test of the length
// of a slice the path appended to takes.
func pruneFlags(b *ssa.BasicBlock, flags map[ssa.Value]bool, succs []*ssa.BasicBlock) []*ssa.BasicBlock {
	if len(succs) != 2 {
		return succs
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return succs
	}
	if taken, ok := lenTest(ifi.Cond, flags); ok {
		if taken {
			return succs[:1]
		}
		return succs[1:]
	}
	if len(flags) == 0 {
		return succs
	}
	cond, neg := ifi.Cond, false
	if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
		cond, neg = u.X, true
	}
	val, known := flags[cond]
	if !known {
		return succs
	}
	if val != neg {
		return succs[:1]
	}
	return succs[1:]
}
