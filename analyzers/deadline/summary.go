package deadline

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/names"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/ssair"
)

// freshCallee reports whether a call of obj returns a connection that was
// just dialed or accepted: the standard dialers and listeners, any
// interface's Accept, Dial or DialContext, and websocket dialers and
// upgraders.
func freshCallee(common *ssa.CallCommon, obj *types.Func) bool {
	name := obj.Name()
	if common.IsInvoke() {
		switch name {
		case "Accept", "Dial", "DialContext":
			return true
		}
		return false
	}
	switch pkgPath(obj) {
	case "net":
		switch name {
		case "Dial", "DialTimeout", "DialTCP", "DialUnix", "DialContext", "Accept", "AcceptTCP", "AcceptUnix":
			return true
		}
	case "crypto/tls":
		switch name {
		case "Dial", "DialWithDialer", "DialContext":
			return true
		}
	}
	return false
}

func isWebsocketPkg(obj *types.Func) bool {
	p := pkgPath(obj)
	return len(p) >= 9 && p[len(p)-9:] == "websocket"
}

// originOf classifies the connection r (a root) of a function of fn's tree.
func (c *connChecker) originOf(top *ssa.Function, r ssa.Value) origin {
	switch r := r.(type) {
	case *ssa.Parameter:
		if r.Parent() == top && (isConnLike(r.Type()) || types.IsInterface(r.Type())) {
			return origin{kind: paramOrigin, param: slices.Index(top.Params, r), desc: "parameter " + r.Name() + " of " + top.Name()}
		}
	case *ssa.UnOp:
		// The connection in a field of a parameter: a handler given a
		// struct describing its stream (info.Conn).
		if fa, ok := r.X.(*ssa.FieldAddr); ok && r.Op == token.MUL {
			// Not the receiver's fields: a session type's own connection
			// is checkSessions' business.
			if p, ok := fa.X.(*ssa.Parameter); ok && p.Parent() == top && !(top.Signature.Recv() != nil && p == top.Params[0]) && (isConnLike(r.Type()) || isStream(r.Type())) {
				return origin{kind: paramOrigin, param: slices.Index(top.Params, p), desc: fmt.Sprintf("the field %s of parameter %s of %s", fieldName(fa), p.Name(), top.Name())}
			}
		}
	case *ssa.Extract:
		if call, ok := r.Tuple.(*ssa.Call); ok {
			if w := c.viewOfAny(&call.Call, r.Index); w != nil {
				return c.originOf(top, c.root(w))
			}
			return c.callOrigin(call, r.Index, r.Type())
		}
	case *ssa.Call:
		if w := c.viewOfAny(&r.Call, 0); w != nil {
			return c.originOf(top, c.root(w))
		}
		return c.callOrigin(r, 0, r.Type())
	case *ssa.Phi:
		// conn, err = DialA(...) on one path, DialB(...) on another: fresh
		// when every non-nil edge is.
		var first origin
		for _, e := range r.Edges {
			er := c.root(e)
			if _, isConst := er.(*ssa.Const); isConst || er == r {
				continue
			}
			if _, isPhi := er.(*ssa.Phi); isPhi {
				return origin{}
			}
			o := c.originOf(top, er)
			if o.kind != freshOrigin {
				return origin{}
			}
			if first.kind == unknownOrigin {
				first = o
			}
		}
		return first
	}
	return origin{}
}

// fieldName returns the name of the field fa addresses.
func fieldName(fa *ssa.FieldAddr) string {
	if p, ok := fa.X.Type().Underlying().(*types.Pointer); ok {
		if st, ok := p.Elem().Underlying().(*types.Struct); ok && fa.Field < st.NumFields() {
			return st.Field(fa.Field).Name()
		}
	}
	return "?"
}

// dialName reports whether a function or method name says it dials: Dial,
// DialTimeout, DialContext, DialDualStackTimeout and the like.
func dialName(name string) bool {
	return strings.HasPrefix(name, "Dial") && !strings.HasPrefix(name, "Dialer")
}

// streamOpen reports whether a call opens a stream of a tunnel or a
// multiplexer (an SSH channel, a yamux or QUIC stream).
func streamOpen(name string) bool {
	switch name {
	case "OpenChannel", "OpenStream", "OpenStreamSync", "AcceptStream":
		return true
	}
	return false
}

// isStream reports whether t reads, writes and closes.
func isStream(t types.Type) bool { return hasMethods(t, "Read", "Write", "Close") }

func (c *connChecker) callOrigin(call *ssa.Call, idx int, t types.Type) origin {
	obj := calleeObj(&call.Call)
	if obj == nil {
		return origin{}
	}
	at := posString(c.pass.Fset, call.Pos())
	if !isConnLike(t) {
		if isStream(t) && streamOpen(obj.Name()) {
			return origin{kind: freshOrigin, desc: fmt.Sprintf("the stream opened by %s at %s", names.Func(obj), at)}
		}
		return origin{}
	}
	if p := pkgPath(obj); !call.Call.IsInvoke() && p != "net" && p != "crypto/tls" {
		if callee := call.Call.StaticCallee(); callee != nil {
			if c.freshResult(callee, idx) {
				return origin{kind: freshOrigin, desc: fmt.Sprintf("the connection from %s at %s", names.Func(obj), at)}
			}
			if isWebsocketPkg(obj) && (obj.Name() == "Upgrade" || obj.Name() == "Dial" || obj.Name() == "DialContext") {
				return origin{kind: freshOrigin, desc: fmt.Sprintf("the websocket from %s at %s", names.Func(obj), at)}
			}
			if callee.Pkg != nil && callee.Pkg.Pkg != c.pass.Pkg && dialName(obj.Name()) && types.IsInterface(t) {
				// A dialer of another package: its name says what it
				// returns (a timeout it takes bounds the dial only).
				return origin{kind: freshOrigin, desc: fmt.Sprintf("the connection dialed by %s at %s", names.Func(obj), at)}
			}
			return origin{}
		}
	}
	if freshCallee(&call.Call, obj) {
		verb := "dialed by"
		if obj.Name() == "Accept" || obj.Name() == "AcceptTCP" || obj.Name() == "AcceptUnix" {
			verb = "accepted by"
		}
		return origin{kind: freshOrigin, desc: fmt.Sprintf("the connection %s %s at %s", verb, names.Func(obj), at)}
	}
	return origin{}
}

// summarize analyses a top-level function and its literals once: it reports
// copies and handshakes that can stall on connections it dialed or accepted,
// and records what callers need to know.
func (c *connChecker) summarize(fn *ssa.Function) *connSummary {
	if s, ok := c.summary[fn]; ok {
		return s // done, or in progress on a recursive call
	}
	s := &connSummary{}
	c.summary[fn] = s
	if fn.Blocks == nil || report.InTestFile(c.pass, fn.Pos()) {
		return s
	}
	ff := c.collect(fn)

	// armsDeadline: any arm on a parameter, or a field of it.
	for _, op := range ff.ops {
		if op.clear {
			continue
		}
		if p, ok := op.arm.(*ssa.Parameter); ok && p.Parent() == fn {
			if i := slices.Index(fn.Params, p); i >= 0 && !slices.Contains(s.arms, i) {
				s.arms = append(s.arms, i)
			}
		}
	}
	sort.Ints(s.arms)

	// The results returned with a deadline armed (whether they are new
	// connections at all is the lifetime model's Summary.Fresh).
	armedAnywhere := func(r ssa.Value) bool {
		if ff.closes[r] {
			return true
		}
		for _, op := range ff.ops {
			if !op.clear && op.root == r {
				return true
			}
		}
		return false
	}
	// returnedBy: the function of fn's tree that returns each connection
	// (a dial function literal returns its tunnel too).
	returnedBy := map[ssa.Value]*ssa.Function{}
	for _, f := range tree(fn) {
		for _, b := range f.Blocks {
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok {
				continue
			}
			for i, res := range ret.Results {
				for _, v := range lifetime.ReturnedValues(res) {
					r := c.root(v)
					returnedBy[r] = f
					if f == fn && (armedAnywhere(r) || c.selfArming(v)) && isConnLike(res.Type()) && !slices.Contains(s.armedRes, i) {
						s.armedRes = append(s.armedRes, i)
					}
				}
			}
		}
	}

	// Copies.
	reported := map[ssa.Value]bool{}
	relayed := map[ssa.Value][]ssa.Instruction{}
	for _, cp := range ff.copies {
		var origins []origin
		ok := true
		for _, e := range cp.ends {
			relayed[e] = append(relayed[e], cp.instr)
			o := c.originOf(fn, e)
			if o.kind == unknownOrigin || armed(ff, e, cp.instr) {
				ok = false
				break
			}
			origins = append(origins, o)
		}
		if !ok || report.InTestFile(c.pass, cp.instr.Pos()) {
			continue
		}
		var params []int
		for _, o := range origins {
			if o.kind == paramOrigin {
				params = append(params, o.param)
			}
		}
		if len(params) > 0 {
			if s.relays == nil {
				at := cp.at
				if at == "" {
					at = posString(c.pass.Fset, cp.instr.Pos())
				}
				s.relays = &relays{Via: cp.via, At: at}
				s.relayAt = cp.instr
				if cp.inner != nil {
					s.relayAt = cp.inner
				}
			}
			for _, p := range params {
				if !slices.Contains(s.relays.Params, p) {
					s.relays.Params = append(s.relays.Params, p)
				}
			}
			continue
		}
		for _, e := range cp.ends {
			reported[e] = true
		}
		c.reportCopy(cp, origins)
	}

	// Handshakes: a read on a connection dialed or accepted here, kept
	// afterwards (returned, relayed or handed to a goroutine).
	handed := c.handedToGo(fn)
	entryShake := false
	for _, rd := range ff.reads {
		if reported[rd.root] || report.InTestFile(c.pass, rd.instr.Pos()) {
			continue
		}
		// Kept after the read: returned, or relayed or handed to a
		// goroutine by code that runs after the read (not a read inside
		// the goroutine that serves the connection).
		kept := rd.kept || returnedBy[rd.root] != nil && returnedBy[rd.root] == rd.instr.Parent()
		for _, at := range append(relayed[rd.root], handed[rd.root]...) {
			if lr, la := lift(rd.instr, at); lr != nil && lr != la && !launches(la, lr) && reaches(lr, la) {
				kept = true
			}
		}
		o := c.originOf(fn, rd.root)
		if !kept && o.kind != unknownOrigin && c.takenAfter(fn, rd) {
			kept = true
		}
		inCopy := false
		for _, at := range relayed[rd.root] {
			if at.Block() == rd.instr.Block() || sameCycle(at.Block(), rd.instr.Block()) {
				inCopy = true // the read of a copy loop, not a handshake
			}
		}
		if inCopy {
			continue
		}
		aff := ff
		if rd.call {
			// The callee's own arms on the connection come after its
			// read (it found none before it).
			aff = &fnFacts{closes: ff.closes}
			for _, op := range ff.ops {
				if op.instr != rd.instr {
					aff.ops = append(aff.ops, op)
				}
			}
		}
		if o.kind == paramOrigin && !armed(aff, rd.root, rd.instr) && (s.shake == nil || kept && !s.shake.Kept) {
			// The callers decide: a handler given a connection its
			// caller accepted with no deadline.
			// At is where fn reads (or calls what reads): the callers'
			// messages name each function with its own line.
			at := posString(c.pass.Fset, rd.instr.Pos())
			s.shake = &handshakes{Param: o.param, What: rd.what, At: at, Kept: kept}
			s.shakeAt = rd.instr
			if rd.inner != nil {
				s.shakeAt = rd.inner
			}
			// Only on a connection that takes a deadline here: a
			// handler given a bare io.Reader cannot arm one, its
			// stream's owner must.
			if via := c.entry[fn]; via != "" && !entryShake && isConnLike(rd.root.Type()) && (kept || c.takenAfter(fn, rd)) {
				// No caller to decide: fn is reached only through via.
				entryShake = true
				reported[rd.root] = true
				c.reportEntryHandshake(rd, o, fn, via)
			}
			continue
		}
		if !kept || o.kind != freshOrigin || armed(aff, rd.root, rd.instr) {
			continue
		}
		reported[rd.root] = true
		c.reportHandshake(rd, o)
	}

	if obj := ssair.FuncObject(fn); obj != nil && (fn.Origin() == nil || fn.Origin() == fn) {
		if len(s.arms) > 0 || len(s.armedRes) > 0 {
			sort.Ints(s.armedRes)
			c.pass.ExportObjectFact(obj, &armsDeadline{Params: s.arms, Results: s.armedRes})
		}
		if s.relays != nil {
			sort.Ints(s.relays.Params)
			c.pass.ExportObjectFact(obj, s.relays)
		}
		if s.shake != nil {
			c.pass.ExportObjectFact(obj, s.shake)
		}
	}
	return s
}

// launches reports whether instr calls the closure made by mc.
func launches(instr, mc ssa.Instruction) bool {
	call, ok := instr.(ssa.CallInstruction)
	v, isVal := mc.(ssa.Value)
	return ok && isVal && call.Common().Value == v
}

// handedToGo returns the connections of fn's tree passed to, or captured
// by, a go statement, with the go statements.
func (c *connChecker) handedToGo(fn *ssa.Function) map[ssa.Value][]ssa.Instruction {
	out := map[ssa.Value][]ssa.Instruction{}
	for _, f := range tree(fn) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				g, ok := instr.(*ssa.Go)
				if !ok {
					continue
				}
				for _, a := range g.Call.Args {
					out[c.root(a)] = append(out[c.root(a)], g)
				}
				if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
					for _, bnd := range mc.Bindings {
						r := c.root(bnd)
						if v := storedValue(bnd); v != nil {
							r = c.root(v)
						}
						out[r] = append(out[r], g)
					}
				}
			}
		}
	}
	return out
}

const connAdvice = "arm a deadline before each read and write (SetReadDeadline/SetWriteDeadline, reset per iteration as an idle timeout), wrap the connections in an idle-timeout conn, or close them when a context is done"

func (c *connChecker) reportCopy(cp copyOp, origins []origin) {
	var descs []string
	for _, o := range origins {
		descs = append(descs, o.desc)
	}
	where := cp.via
	if cp.at != "" {
		where = fmt.Sprintf("%s (at %s)", cp.via, cp.at)
	}
	if cp.inner != nil {
		// The helper is ours: report at its copy, the line to change,
		// naming the caller that passes the connections.
		where = fmt.Sprintf("%s, called at %s,", cp.via, posString(c.pass.Fset, cp.instr.Pos()))
		msg := fmt.Sprintf("%s copies between %s with no deadline on either connection: "+
			"when a peer stops reading or goes silent the copy blocks forever, holding both connections, "+
			"a goroutine and its buffers; %s", where, joinAnd(descs), connAdvice)
		c.done[cp.inner.Pos()] = false // one finding per caller, each naming it
		c.reportAt(cp.inner, msg)
		return
	}
	msg := fmt.Sprintf("%s copies between %s with no deadline on either connection: "+
		"when a peer stops reading or goes silent the copy blocks forever, holding both connections, "+
		"a goroutine and its buffers; %s", where, joinAnd(descs), connAdvice)
	c.reportAt(cp.instr, msg)
}

func (c *connChecker) reportHandshake(rd readOp, o origin) {
	what := rd.what
	if rd.inner != nil {
		what = fmt.Sprintf("%s, called at %s,", rd.what, posString(c.pass.Fset, rd.instr.Pos()))
	}
	msg := fmt.Sprintf("%s reads from %s, which is kept as a tunnel, with no deadline armed: "+
		"a peer that never answers stalls this handshake forever; "+
		"call SetDeadline before the handshake (and clear or reset it after), or use a context-aware handshake", what, o.desc)
	if rd.inner != nil {
		c.done[rd.inner.Pos()] = false
		c.reportAt(rd.inner, msg)
		return
	}
	c.reportAt(rd.instr, msg)
}

// reportEntryHandshake reports a handshake read on a connection fn is
// given by callers it cannot see, reaching it only through via.
func (c *connChecker) reportEntryHandshake(rd readOp, o origin, fn *ssa.Function, via string) {
	what := rd.what
	if rd.inner != nil {
		what = fmt.Sprintf("%s, called at %s,", rd.what, posString(c.pass.Fset, rd.instr.Pos()))
	}
	msg := fmt.Sprintf("%s reads from %s with no deadline armed, and %s is reached only through %s, "+
		"whose callers cannot know it reads a handshake: a peer that never sends stalls it forever, holding the connection and a goroutine; "+
		"call SetReadDeadline before the handshake (and clear it after)", what, o.desc, fn.Name(), via)
	at := rd.instr
	if rd.inner != nil {
		c.done[rd.inner.Pos()] = false
		at = rd.inner
	}
	c.reportAt(at, msg)
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return "connections"
	case 1:
		return s[0]
	}
	return fmt.Sprintf("%s and %s", joinComma(s[:len(s)-1]), s[len(s)-1])
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// reportAt reports at the call expression of an SSA call instruction.
func (c *connChecker) reportAt(instr ssa.Instruction, msg string) {
	if c.done[instr.Pos()] {
		return // one finding per line to change, whatever the number of callers
	}
	c.done[instr.Pos()] = true
	d := analysis.Diagnostic{Pos: instr.Pos(), Message: msg}
	if call := c.callExpr(instr.Pos()); call != nil {
		d.Pos, d.End = call.Pos(), call.End()
	}
	c.r.Report(d)
}

func (c *connChecker) callExpr(pos token.Pos) *ast.CallExpr {
	if !pos.IsValid() {
		return nil
	}
	path := ssair.PathAt(c.pass, pos)
	for _, n := range path {
		switch n := n.(type) {
		case *ast.CallExpr:
			if n.Lparen == pos {
				return n
			}
		case *ast.GoStmt:
			if n.Go == pos {
				return n.Call
			}
		case *ast.DeferStmt:
			if n.Defer == pos {
				return n.Call
			}
		}
	}
	return nil
}
