package deadline

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/names"
	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/ssair"
)

// armsDeadline marks a function that arms a read, write or full deadline on
// the connections passed in the listed parameters (SSA indices: a method's
// receiver is 0), or on a connection held in a field of them, and on the
// connections it returns in the listed results. Whether a result is a new
// connection at all is the lifetime model's Summary.Fresh.
type armsDeadline struct {
	Params  []int
	Results []int
}

func (*armsDeadline) AFact() {}
func (f *armsDeadline) String() string {
	if len(f.Results) > 0 {
		return fmt.Sprintf("armsDeadline%v results%v", f.Params, f.Results)
	}
	return fmt.Sprintf("armsDeadline%v", f.Params)
}

// relays marks a function that copies between connections, among them those
// passed in the listed parameters, with no deadline armed: whether that can
// stall forever depends on what its callers pass.
type relays struct {
	Params []int
	Via    string // e.g. "io.Copy"
	At     string // file:line of the copy
}

func (*relays) AFact() {}
func (f *relays) String() string {
	return fmt.Sprintf("relays(%v via %s at %s)", f.Params, f.Via, f.At)
}

// handshakes marks a function that reads a handshake from the connection
// passed in parameter Param with no deadline armed; Kept says it keeps the
// connection afterwards (relays it, hands it to a goroutine). Whether that
// can stall forever depends on what its callers pass.
type handshakes struct {
	Param int
	Kept  bool   // the function itself keeps the connection after the read
	What  string // e.g. io.ReadFull
	At    string // file:line of the read
}

func (*handshakes) AFact() {}
func (f *handshakes) String() string {
	return fmt.Sprintf("handshakes(%d via %s at %s kept=%v)", f.Param, f.What, f.At, f.Kept)
}

// hasCache remembers, across the packages of a run (checks of different
// packages may run at once), whether a named type or a pointer to it has a
// list of methods. It holds the types weakly and only booleans: a cache of
// method sets keyed by type, as typeutil.MethodSetCache is, would keep
// every package whose types it ever saw alive to the end of the run, and
// the standalone driver keeps of a finished package only what its
// importers can see.
var (
	hasMu    sync.Mutex
	hasCache = map[hasKey]bool{}
)

type hasKey struct {
	named weak.Pointer[types.Named]
	ptr   bool // the question is about *named
	names string
}

// hasMethods reports whether t or *t has all the named methods.
func hasMethods(t types.Type, names ...string) bool {
	if t == nil {
		return false
	}
	ptr := false
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
			n, ok = types.Unalias(p.Elem()).(*types.Named)
			ptr = true
		}
	}
	if !ok {
		return computeHasMethods(t, names)
	}
	k := hasKey{weak.Make(n), ptr, strings.Join(names, ",")}
	hasMu.Lock()
	has, ok := hasCache[k]
	hasMu.Unlock()
	if ok {
		return has
	}
	has = computeHasMethods(t, names)
	hasMu.Lock()
	if _, dup := hasCache[k]; !dup {
		hasCache[k] = has
		runtime.AddCleanup(n, func(k hasKey) {
			hasMu.Lock()
			delete(hasCache, k)
			hasMu.Unlock()
		}, k)
	}
	hasMu.Unlock()
	return has
}

func computeHasMethods(t types.Type, names []string) bool {
	ms := types.NewMethodSet(t)
	var pms *types.MethodSet
	if _, ok := t.Underlying().(*types.Interface); !ok {
		if _, isPtr := types.Unalias(t).(*types.Pointer); !isPtr {
			pms = types.NewMethodSet(types.NewPointer(t))
		}
	}
	for _, m := range names {
		if ms.Lookup(nil, m) == nil && (pms == nil || pms.Lookup(nil, m) == nil) {
			return false
		}
	}
	return true
}

// isStreamConn reports whether t is a net.Conn-like connection: it reads,
// writes, closes and takes read and write deadlines.
func isStreamConn(t types.Type) bool {
	return hasMethods(t, "Read", "Write", "Close", "SetReadDeadline", "SetWriteDeadline", "RemoteAddr")
}

// isWebsocket reports whether t is a message-oriented websocket connection
// with deadlines (gorilla/websocket and its forks).
func isWebsocket(t types.Type) bool {
	return hasMethods(t, "ReadMessage", "WriteMessage", "Close", "SetReadDeadline", "SetWriteDeadline")
}

func isConnLike(t types.Type) bool { return isStreamConn(t) || isWebsocket(t) }

// calleeObj returns the function or method a call calls, statically or
// through an interface.
func calleeObj(common *ssa.CallCommon) *types.Func {
	if common.IsInvoke() {
		return common.Method
	}
	if callee := common.StaticCallee(); callee != nil {
		return ssair.FuncObject(callee)
	}
	return nil
}

func pkgPath(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	return fn.Pkg().Path()
}

// recvAndArgs splits a call into its receiver (nil for a function) and its
// other arguments.
func recvAndArgs(common *ssa.CallCommon, fn *types.Func) (ssa.Value, []ssa.Value) {
	if common.IsInvoke() {
		return common.Value, common.Args
	}
	if fn != nil && fn.Signature().Recv() != nil && len(common.Args) > 0 {
		return common.Args[0], common.Args[1:]
	}
	return nil, common.Args
}

type originKind int

const (
	unknownOrigin originKind = iota
	freshOrigin              // dialed or accepted here, no deadline yet
	paramOrigin              // a parameter: the callers decide
)

type origin struct {
	kind  originKind
	param int
	desc  string
}

type connChecker struct {
	done    map[token.Pos]bool // positions reported
	pass    *analysis.Pass
	r       *report.Reporter
	lt      *lifetime.Result
	summary map[*ssa.Function]*connSummary
	entry   map[*ssa.Function]string // functions reached only dynamically, and how
}

type connSummary struct {
	arms     []int
	relays   *relays
	armedRes []int // results returned with a deadline armed
	analysed bool
	relayAt  ssa.Instruction // the copy relays describes, in this package
	shake    *handshakes
	shakeAt  ssa.Instruction
}

// relevantConn is the fast path: only a package that copies, reads or sets
// deadlines on connections, dials or accepts them, or calls a function known
// to do so, can hold a finding or export a fact that matters.
func relevantConn(pass *analysis.Pass, lt *lifetime.Result) bool {
	for _, obj := range pass.TypesInfo.Defs {
		if v, ok := obj.(*types.Var); ok && v.IsField() && isConnLike(v.Type()) {
			return true // a session's connection held in a field
		}
	}
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		switch fn.Name() {
		case "Copy", "CopyBuffer":
			if pkgPath(fn) == "io" {
				return true
			}
		case "OpenChannel", "OpenStream", "OpenStreamSync", "AcceptStream":
			return true
		case "SetDeadline", "SetReadDeadline", "SetWriteDeadline",
			"Dial", "DialContext", "DialTimeout", "DialTCP", "Accept", "AcceptTCP", "Upgrade":
			return true
		}
		if dialName(fn.Name()) && fn.Pkg() != pass.Pkg {
			return true
		}
		if fn.Pkg() != pass.Pkg && fn.Signature().Results().Len() > 0 {
			// A helper of another package that dials (the fact first:
			// a method set is costly, and most functions have no fact).
			if sum, _ := lt.SummaryOfObject(fn); sum.Fresh&1 != 0 && isConnLike(fn.Signature().Results().At(0).Type()) {
				return true
			}
		}
		if fn.Pkg() != nil && fn.Pkg() != pass.Pkg &&
			(pass.ImportObjectFact(fn, new(relays)) || pass.ImportObjectFact(fn, new(armsDeadline)) || pass.ImportObjectFact(fn, new(handshakes))) {
			return true
		}
	}
	return false
}

func runConn(pass *analysis.Pass, r *report.Reporter) {
	lt := pass.ResultOf[lifetime.Analyzer].(*lifetime.Result)
	if !relevantConn(pass, lt) {
		return
	}
	c := &connChecker{pass: pass, r: r, lt: lt, summary: map[*ssa.Function]*connSummary{}, done: map[token.Pos]bool{}}
	funcs := ssair.Of(pass).SrcFuncs()
	c.entry = c.entries(funcs)
	for _, fn := range funcs {
		if fn.Parent() == nil {
			c.summarize(fn)
		}
	}
	c.checkSessions(funcs)
}

// tree returns fn and its function literals, recursively.
func tree(fn *ssa.Function) []*ssa.Function {
	out := []*ssa.Function{fn}
	for _, anon := range fn.AnonFuncs {
		out = append(out, tree(anon)...)
	}
	return out
}

// A deadlineOp arms or clears a deadline on a connection.
type deadlineOp struct {
	instr ssa.Instruction
	root  ssa.Value // the connection, as c.root() gives it
	arm   ssa.Value // the connection with fields stripped, for facts
	clear bool
}

// A copyOp moves bytes between connections.
type copyOp struct {
	inner ssa.Instruction // the copy itself, inside a helper of this package
	instr ssa.Instruction
	ends  []ssa.Value
	via   string
	at    string // where the copy is, when it is in a callee
}

// A readOp blocks until a connection delivers data.
type readOp struct {
	instr ssa.Instruction
	root  ssa.Value
	what  string
	inner ssa.Instruction // the read inside a helper of this package
	kept  bool            // the callee keeps the connection after its read
	call  bool            // a callee's handshake: its own arms come after the read
}

type fnFacts struct {
	ops    []deadlineOp
	closes map[ssa.Value]bool // connections closed by a context or timer
	copies []copyOp
	reads  []readOp
	writes []readOp
}

func (c *connChecker) summaryOf(callee *ssa.Function) (arms []int, rel *relays, armedRes []int) {
	if callee == nil {
		return nil, nil, nil
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg {
		if callee.Parent() != nil || callee.Blocks == nil {
			return nil, nil, nil
		}
		s := c.summarize(callee)
		return s.arms, s.relays, s.armedRes
	}
	obj := ssair.FuncObject(callee)
	if obj == nil {
		return nil, nil, nil
	}
	var a armsDeadline
	if c.pass.ImportObjectFact(obj, &a) {
		arms, armedRes = a.Params, a.Results
	}
	var rf relays
	if c.pass.ImportObjectFact(obj, &rf) {
		rel = &rf
	}
	return arms, rel, armedRes
}

// freshResult reports whether result idx of a call of callee is a new
// connection (the lifetime model's word) that callee armed no deadline on.
func (c *connChecker) freshResult(callee *ssa.Function, idx int) bool {
	sum, _ := c.lt.SummaryOf(callee)
	if !sum.FreshResult(idx) {
		return false
	}
	_, _, armedRes := c.summaryOf(callee)
	return !slices.Contains(armedRes, idx)
}

// collect finds the deadline operations, copies, reads and context-driven
// closes in fn and its function literals.
func (c *connChecker) collect(fn *ssa.Function) *fnFacts {
	ff := &fnFacts{closes: map[ssa.Value]bool{}}
	for _, f := range tree(fn) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case ssa.CallInstruction:
					c.collectCall(ff, instr)
				}
			}
		}
		c.collectLoops(ff, f)
		c.collectSelectCloses(ff, f)
	}
	return ff
}

// collectSelectCloses records connections closed when a context is done or
// a timer fires, in the function that waits:
//
//	select {
//	case <-ctx.Done():
//		conn.Close()
//	case <-done:
//	}
func (c *connChecker) collectSelectCloses(ff *fnFacts, f *ssa.Function) {
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := call.Common()
			obj := calleeObj(common)
			if obj == nil || obj.Name() != "Close" {
				continue
			}
			recv, _ := recvAndArgs(common, obj)
			if recv == nil {
				continue
			}
			for d := b; d != nil; d = d.Idom() {
				if waitsOnDone(d) {
					ff.closes[c.root(recv)] = true
					break
				}
			}
		}
	}
}

// waitsOnDone reports whether b receives from a context's Done channel or a
// timer's channel.
func waitsOnDone(b *ssa.BasicBlock) bool {
	isDone := func(ch ssa.Value) bool {
		switch ch := ch.(type) {
		case *ssa.Call:
			obj := calleeObj(&ch.Call)
			return obj != nil && (obj.Name() == "Done" || pkgPath(obj) == "time" && (obj.Name() == "After" || obj.Name() == "Tick"))
		case *ssa.UnOp: // timer.C
			if fa, ok := ch.X.(*ssa.FieldAddr); ok {
				return isTimer(fa.X.Type())
			}
		}
		return false
	}
	for _, instr := range b.Instrs {
		switch instr := instr.(type) {
		case *ssa.Select:
			for _, st := range instr.States {
				if st.Dir == types.RecvOnly && isDone(st.Chan) {
					return true
				}
			}
		case *ssa.UnOp:
			if instr.Op == token.ARROW && isDone(instr.X) {
				return true
			}
		}
	}
	return false
}

func isTimer(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return typeis.Named(t, "time", "Timer") || typeis.Named(t, "time", "Ticker")
}

var bufioReads = []string{"Read", "ReadByte", "ReadBytes", "ReadLine", "ReadRune", "ReadSlice", "ReadString", "Peek", "WriteTo"}

func (c *connChecker) collectCall(ff *fnFacts, call ssa.CallInstruction) {
	common := call.Common()
	if _, isGo := call.(*ssa.Go); isGo {
		if mc, ok := common.Value.(*ssa.MakeClosure); ok {
			c.closesIn(ff, mc, true)
		}
	}
	obj := calleeObj(common)
	if obj == nil {
		return
	}
	recv, args := recvAndArgs(common, obj)
	name := obj.Name()
	path := pkgPath(obj)
	conn := func(v ssa.Value) ssa.Value {
		r := c.root(v)
		if r != nil && isConnLike(r.Type()) {
			return r
		}
		return nil
	}
	// A read may also be on a parameter of interface type (an io.Reader
	// a protocol helper reads its handshake from): whether that is a
	// connection is for the callers to say, through the handshakes fact.
	readConn := func(v ssa.Value) ssa.Value {
		r := c.readRoot(v)
		if r != nil && isConnLike(r.Type()) {
			return r
		}
		// Not a read in a loop: that streams (a copy loop, a frame
		// reader), it is no handshake.
		if p, ok := r.(*ssa.Parameter); ok && p.Parent().Parent() == nil && types.IsInterface(p.Type()) && hasMethods(p.Type(), "Read") && !sameCycle(call.Block(), call.Block()) {
			return p
		}
		return nil
	}
	// An end of a copy may also be a parameter of interface type (an
	// io.Reader, io.ReadWriteCloser): whether it is a connection is for
	// the callers to say.
	end := func(v ssa.Value) ssa.Value {
		if r := conn(v); r != nil {
			return r
		}
		if p, ok := c.root(v).(*ssa.Parameter); ok && p.Parent().Parent() == nil && types.IsInterface(p.Type()) {
			return p
		}
		return nil
	}
	// A reader of a protocol (a response parser) handed a bufio view of
	// the connection: res.Read(bufio.NewReader(conn)).
	if strings.HasPrefix(name, "Read") && path != "bufio" && path != "net/http" {
		for _, a := range args {
			if isBufioReader(a.Type()) {
				if r := readConn(a); r != nil {
					ff.reads = append(ff.reads, readOp{instr: call, root: r, what: names.Func(obj)})
					return
				}
			}
		}
	}
	switch {
	case recv != nil && (name == "SetDeadline" || name == "SetReadDeadline" || name == "SetWriteDeadline") && len(args) == 1:
		ff.ops = append(ff.ops, deadlineOp{instr: call, root: c.promotedRoot(recv), arm: c.armRoot(recv), clear: isZeroTime(args[0])})
		return
	case path == "io" && (name == "Copy" || name == "CopyBuffer") && len(args) >= 2:
		if dst, src := end(args[0]), end(args[1]); dst != nil && src != nil && dst != src {
			ff.copies = append(ff.copies, copyOp{instr: call, ends: []ssa.Value{dst, src}, via: "io." + name})
		}
		return
	case path == "io" && (name == "ReadFull" || name == "ReadAtLeast") && len(args) >= 1:
		if r := readConn(args[0]); r != nil {
			ff.reads = append(ff.reads, readOp{instr: call, root: r, what: "io." + name})
		}
		return
	case path == "net/http" && (name == "ReadRequest" || name == "ReadResponse") && len(args) >= 1:
		if r := readConn(args[0]); r != nil {
			ff.reads = append(ff.reads, readOp{instr: call, root: r, what: "http." + name})
		}
		return
	case recv != nil && path == "bufio" && isNamedRecv(obj, "bufio", "Reader") && slices.Contains(bufioReads, name):
		if r := readConn(recv); r != nil {
			ff.reads = append(ff.reads, readOp{instr: call, root: r, what: "bufio.Reader." + name})
		}
		return
	case recv != nil && path == "bufio" && isNamedRecv(obj, "bufio", "Writer") && (name == "Write" || name == "WriteString" || name == "Flush"):
		if r := conn(recv); r != nil {
			ff.writes = append(ff.writes, readOp{instr: call, root: r, what: "bufio.Writer." + name})
		}
		return
	case recv != nil && (name == "Read" || name == "ReadMessage" || name == "NextReader" || name == "Handshake"):
		// On the connection itself, or on a view of it (a reader that
		// peeks at its first bytes).
		if r := readConn(recv); r != nil && (isConnLike(recv.Type()) || name == "Read" && (r != recv || isParam(r))) {
			what := names.Func(obj)
			ff.reads = append(ff.reads, readOp{instr: call, root: r, what: what})
		}
		return
	case recv != nil && (name == "Write" || name == "WriteMessage"):
		if r := conn(recv); r != nil && isConnLike(recv.Type()) {
			ff.writes = append(ff.writes, readOp{instr: call, root: r, what: names.Func(obj)})
		}
		return
	case (path == "context" || path == "time") && name == "AfterFunc" && len(args) == 2:
		// context.AfterFunc(ctx, func() { conn.Close() }), time.AfterFunc(d, conn.Close)
		c.closesIn(ff, args[1], false)
		return
	}
	if common.IsInvoke() {
		return
	}
	callee := common.StaticCallee()
	arms, rel, _ := c.summaryOf(callee)
	for _, i := range arms {
		if i < len(common.Args) {
			a := common.Args[i]
			ff.ops = append(ff.ops, deadlineOp{instr: call, root: c.root(a), arm: c.armRoot(a)})
		}
	}
	if hs := c.handshakeOf(callee); hs != nil && hs.Param < len(common.Args) {
		rd := readOp{instr: call, root: c.readRoot(common.Args[hs.Param]), what: fmt.Sprintf("%s in %s (at %s)", hs.What, names.Func(ssair.FuncObject(callee)), hs.At), kept: hs.Kept, call: true}
		// The line to change is the read in the innermost function that
		// holds the connection as a connection (it could arm a deadline
		// there), not inside a reader helper given an io.Reader.
		if s := c.summary[ssair.Origin(callee)]; s != nil && s.shakeAt != nil && hs.Param < len(callee.Params) && isConnLike(callee.Params[hs.Param].Type()) {
			rd.inner = s.shakeAt
		}
		ff.reads = append(ff.reads, rd)
	}
	if rel != nil {
		var ends []ssa.Value
		for _, i := range rel.Params {
			if i < len(common.Args) {
				ends = append(ends, c.root(common.Args[i]))
			}
		}
		if len(ends) > 0 {
			op := copyOp{instr: call, ends: ends, via: rel.Via + " in " + names.Func(ssair.FuncObject(callee)), at: rel.At}
			if s := c.summary[ssair.Origin(callee)]; s != nil && s.relayAt != nil {
				op.inner = s.relayAt
			}
			ff.copies = append(ff.copies, op)
		}
	}
}

func isBufioReader(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return typeis.Named(p.Elem(), "bufio", "Reader")
	}
	return false
}

func isNamedRecv(fn *types.Func, pkg, name string) bool {
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	return typeis.NamedOrPointer(recv.Type(), pkg, name)
}

// closesIn records the connections closed by the function value f, run by
// a go statement (then only if it waits on a channel first: a context's Done
// or a timer) or by an AfterFunc.
func (c *connChecker) closesIn(ff *fnFacts, f ssa.Value, needRecv bool) {
	mc, ok := f.(*ssa.MakeClosure)
	var fn *ssa.Function
	if ok {
		fn = mc.Fn.(*ssa.Function)
	} else if fn, ok = f.(*ssa.Function); !ok {
		return
	}
	// A bound method value: conn.Close.
	if ok && strings.HasSuffix(fn.Name(), "$bound") && fn.Name() == "Close$bound" && len(mc.Bindings) == 1 {
		ff.closes[c.root(mc.Bindings[0])] = true
		return
	}
	waits := false
	var closed []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Select:
				waits = true
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					waits = true
				}
			case ssa.CallInstruction:
				common := instr.Common()
				obj := calleeObj(common)
				if obj == nil || obj.Name() != "Close" {
					continue
				}
				if recv, _ := recvAndArgs(common, obj); recv != nil {
					closed = append(closed, c.root(recv))
				}
			}
		}
	}
	if waits || !needRecv {
		for _, v := range closed {
			ff.closes[v] = true
		}
	}
}

// collectLoops finds hand-written copy loops: a read from one connection and
// a write to another on the same cycle of f's control flow.
func (c *connChecker) collectLoops(ff *fnFacts, f *ssa.Function) {
	for _, rd := range ff.reads {
		if rd.instr.Parent() != f || !strings.HasSuffix(rd.what, "Read") && !strings.HasSuffix(rd.what, "ReadMessage") {
			continue
		}
		for _, wr := range ff.writes {
			if wr.instr.Parent() != f || wr.root == rd.root {
				continue
			}
			if sameCycle(rd.instr.Block(), wr.instr.Block()) {
				ff.copies = append(ff.copies, copyOp{instr: wr.instr, ends: []ssa.Value{wr.root, rd.root}, via: "a loop of " + rd.what + " and " + wr.what})
			}
		}
	}
}

func sameCycle(a, b *ssa.BasicBlock) bool {
	return ssair.Reaches(a.Succs, b, nil) && ssair.Reaches(b.Succs, a, nil)
}

func isZeroTime(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && (k.Value == nil || k.Value.Kind() == constant.Unknown)
}

// wraps reports whether a call returns a view of its first argument that
// shares its deadlines: tls.Client, tls.Server, bufio readers and writers.
func wraps(obj *types.Func) bool {
	switch pkgPath(obj) {
	case "crypto/tls":
		return obj.Name() == "Client" || obj.Name() == "Server" || obj.Name() == "NetConn"
	case "bufio":
		switch obj.Name() {
		case "NewReader", "NewReaderSize", "NewWriter", "NewWriterSize", "NewReadWriter":
			return true
		}
	}
	return false
}

func isParam(v ssa.Value) bool { _, ok := v.(*ssa.Parameter); return ok }

// viewOf returns the connection a call's results are a view of, in the
// lifetime model's word (Summary.Wraps: closing the view closes the
// argument, as a wrapper that peeks at a connection's first bytes or joins a
// stream to the connection under it), or nil. Reading the view reads that
// connection, and the view holds no deadline of its own to arm.
func (c *connChecker) viewOf(call *ssa.CallCommon, idx int) ssa.Value {
	if w := c.viewOfAny(call, idx); w != nil && isConnLike(w.Type()) {
		return w
	}
	return nil
}

// viewOfAny is viewOf for a view of any stream, one that takes no deadline
// itself (the tunnel's io.ReadWriteCloser a wrapper joins to the connection
// under it): where the view's connection came from is where the stream did.
// A view that arms its own deadlines (an idle-timeout wrapper: armsDeadline
// Results) is a connection of its own, and none of these.
func (c *connChecker) viewOfAny(call *ssa.CallCommon, idx int) ssa.Value {
	if c == nil || c.lt == nil || call.IsInvoke() {
		return nil
	}
	callee := call.StaticCallee()
	if callee == nil {
		return nil
	}
	if _, _, armedRes := c.summaryOf(callee); slices.Contains(armedRes, idx) {
		return nil
	}
	sum, _ := c.lt.SummaryOf(callee)
	for i, a := range call.Args {
		if i < 64 && sum.Wraps&(1<<i) != 0 && (isConnLike(a.Type()) || isStream(a.Type())) {
			return a
		}
	}
	return nil
}

// root returns the value a connection expression denotes, through
// conversions, wrappers that share deadlines, captured variables and
// closures. Fields are not looked through.
func (c *connChecker) root(v ssa.Value) ssa.Value { return c.rootOf(v, false, false, 0) }

// promotedRoot is root, and then the value whose embedded field that root
// is: a deadline set through a method promoted from an embedded connection
// (co.SetReadDeadline, with co a struct embedding net.Conn) is set on co, and
// on everything co's own methods read.
func (c *connChecker) promotedRoot(v ssa.Value) ssa.Value {
	r := c.root(v)
	for range 4 {
		ld, ok := r.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			return r
		}
		fa, ok := ld.X.(*ssa.FieldAddr)
		if !ok || !ssair.EmbeddedField(fa) {
			return r
		}
		r = c.root(fa.X)
	}
	return r
}

// readRoot is root looking through views too (viewOf): a read on a reader
// that peeks at a connection reads the connection.
func (c *connChecker) readRoot(v ssa.Value) ssa.Value { return c.rootOf(v, false, true, 0) }

// armRoot is root looking through field loads too: arming a deadline on a
// field of a parameter arms it for the parameter.
func (c *connChecker) armRoot(v ssa.Value) ssa.Value { return c.rootOf(v, true, false, 0) }

func (c *connChecker) rootOf(v ssa.Value, fields, views bool, depth int) ssa.Value {
	for ; depth < 32; depth++ {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.Extract:
			switch t := x.Tuple.(type) {
			case *ssa.TypeAssert:
				v = t.X
			case *ssa.Call:
				if obj := calleeObj(&t.Call); obj != nil && wraps(obj) && x.Index == 0 {
					recv, args := recvAndArgs(&t.Call, obj)
					if recv != nil {
						v = recv
					} else {
						v = args[0]
					}
					continue
				}
				if w := c.viewOf(&t.Call, x.Index); views && w != nil {
					v = w
					continue
				}
				return x
			default:
				return x
			}
		case *ssa.Call:
			obj := calleeObj(&x.Call)
			if obj == nil || !wraps(obj) {
				if w := c.viewOf(&x.Call, 0); views && w != nil {
					v = w
					continue
				}
				return x
			}
			recv, args := recvAndArgs(&x.Call, obj)
			if recv != nil {
				v = recv
			} else if len(args) > 0 {
				v = args[0]
			} else {
				return x
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return x
			}
			switch addr := x.X.(type) {
			case *ssa.FieldAddr:
				if !fields {
					return x
				}
				v = addr.X
				continue
			}
			stored := storedValue(x.X)
			if stored == nil {
				return x
			}
			v = stored
		case *ssa.Field:
			if !fields {
				return x
			}
			v = x.X
		case *ssa.FieldAddr:
			if !fields {
				return x
			}
			v = x.X
		case *ssa.FreeVar:
			b := binding(x)
			if b == nil {
				return x
			}
			v = b
		case *ssa.Phi:
			var same ssa.Value
			for _, e := range x.Edges {
				if e == x {
					continue
				}
				r := c.rootOf(e, fields, views, depth+8)
				if _, isConst := r.(*ssa.Const); isConst {
					continue // nil on another path
				}
				if same != nil && r != same {
					return x
				}
				same = r
			}
			if same == nil {
				return x
			}
			return same
		default:
			return v
		}
	}
	return v
}

// binding returns the value a free variable is bound to in the function that
// makes the closure, if exactly one instruction makes it.
func binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := slices.Index(fn.FreeVars, fv)
	parent := fn.Parent()
	if idx < 0 || parent == nil {
		return nil
	}
	var found *ssa.MakeClosure
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				if found != nil {
					return nil
				}
				found = mc
			}
		}
	}
	if found == nil || idx >= len(found.Bindings) {
		return nil
	}
	return found.Bindings[idx]
}

// storedValue returns the one value stored at addr, a local variable
// captured by a closure, or nil.
func storedValue(addr ssa.Value) ssa.Value {
	if fv, ok := addr.(*ssa.FreeVar); ok {
		addr = binding(fv)
	}
	alloc, ok := addr.(*ssa.Alloc)
	if !ok || alloc.Referrers() == nil {
		return nil
	}
	var val ssa.Value
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// chain returns instr followed by the instructions that make each enclosing
// closure, up to the top-level function.
func chain(instr ssa.Instruction) []ssa.Instruction {
	out := []ssa.Instruction{instr}
	fn := instr.Parent()
	for fn.Parent() != nil {
		mc := madeAt(fn)
		if mc == nil {
			return nil
		}
		out = append(out, mc)
		fn = fn.Parent()
	}
	return out
}

// madeAt returns the instruction of fn's parent that makes the literal fn.
func madeAt(fn *ssa.Function) ssa.Instruction {
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc
			}
			for _, op := range instr.Operands(nil) {
				if *op == fn {
					return instr
				}
			}
		}
	}
	return nil
}

// lift returns the representatives of a and b in the innermost function
// that contains both, or nils.
func lift(a, b ssa.Instruction) (ssa.Instruction, ssa.Instruction) {
	ca, cb := chain(a), chain(b)
	if ca == nil || cb == nil {
		return nil, nil
	}
	slices.Reverse(ca)
	slices.Reverse(cb)
	for i := 0; i < len(ca) && i < len(cb); i++ {
		if ca[i].Parent() != cb[i].Parent() {
			return nil, nil
		}
		if ca[i] != cb[i] || i == len(ca)-1 || i == len(cb)-1 {
			return ca[i], cb[i]
		}
	}
	return nil, nil
}

func index(instr ssa.Instruction) int {
	return slices.Index(instr.Block().Instrs, instr)
}

// reaches reports whether a can run before b in the same function.
func reaches(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return index(a) < index(b) || ssair.Reaches(a.Block().Succs, b.Block(), nil)
	}
	return ssair.Reaches(a.Block().Succs, b.Block(), nil)
}

// dominates reports whether a runs before b on every path to b.
func dominates(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return index(a) < index(b)
	}
	return a.Block().Dominates(b.Block())
}

// armed reports whether a deadline is armed on conn before site: an arming
// operation can run before it, and no clearing operation that always follows
// that arm always precedes the site.
func armed(ff *fnFacts, conn ssa.Value, site ssa.Instruction) bool {
	if ff.closes[conn] {
		return true
	}
	for _, a := range ff.ops {
		if a.clear || a.root != conn {
			continue
		}
		la, ls := lift(a.instr, site)
		if la == nil {
			continue
		}
		if la == ls { // the arm is inside the closure that holds the site, or the same call
			return true
		}
		if !reaches(la, ls) {
			continue
		}
		killed := false
		for _, cl := range ff.ops {
			if !cl.clear || cl.root != conn {
				continue
			}
			lc, ls2 := lift(cl.instr, site)
			if lc == nil || ls2 != ls || lc.Parent() != la.Parent() {
				continue
			}
			if dominates(la, lc) && dominates(lc, ls) {
				killed = true
				break
			}
		}
		if !killed {
			return true
		}
	}
	return false
}

// handshakeOf returns the handshakes fact of a callee, from this package's
// summaries or imported.
func (c *connChecker) handshakeOf(callee *ssa.Function) *handshakes {
	if callee == nil {
		return nil
	}
	callee = ssair.Origin(callee)
	if callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg {
		if callee.Parent() != nil || callee.Blocks == nil {
			return nil
		}
		return c.summarize(callee).shake
	}
	obj := ssair.FuncObject(callee)
	if obj == nil {
		return nil
	}
	var hs handshakes
	if c.pass.ImportObjectFact(obj, &hs) {
		return &hs
	}
	return nil
}
