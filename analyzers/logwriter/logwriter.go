package logwriter

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/internal/names"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Analyzer is the logwriter check.
var Analyzer = &analysis.Analyzer{
	Name:      "logwriter",
	Doc:       checkdoc.Extract(doc, "logwriter"),
	URL:       checkdoc.URL("logwriter"),
	Requires:  []*analysis.Analyzer{ssair.Analyzer, report.Analyzer},
	FactTypes: []analysis.Fact{new(returnsWriter), new(leaksWriter), new(ownsParam)},
	Run:       run,
}

// includeTests is the -logwriter.tests flag.
var includeTests bool

func init() {
	Analyzer.Flags.BoolVar(&includeTests, "tests", false, "also report writers created in _test.go files")
}

// returnsWriter marks a function that returns, in the listed results, a
// goroutine-backed writer that its caller must close.
type returnsWriter struct {
	Results []int
	Origin  string // what creates the writer, e.g. "logrus.Logger.Writer"
}

func (*returnsWriter) AFact() {}
func (f *returnsWriter) String() string {
	return fmt.Sprintf("returnsWriter(%v from %s)", f.Results, f.Origin)
}

// leaksWriter marks a function whose every call creates a goroutine-backed
// writer that it neither closes nor hands to anyone who could.
type leaksWriter struct {
	Origin string // what creates the writer
	At     string // where, as file:line
}

func (*leaksWriter) AFact()           {}
func (f *leaksWriter) String() string { return fmt.Sprintf("leaksWriter(%s at %s)", f.Origin, f.At) }

// ownsParam marks a function that closes, or keeps for an owner, the
// writer-typed parameters listed.
type ownsParam struct {
	Params []int
}

func (*ownsParam) AFact()           {}
func (f *ownsParam) String() string { return fmt.Sprintf("ownsParam(%v)", f.Params) }

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	r.IncludeTests(includeTests)
	defer r.Finish()

	c := &checker{
		pass:    pass,
		r:       r,
		summary: map[*ssa.Function]*summary{},
		owns:    map[*types.Func][]int{},
	}
	c.exportOwnsParam()
	if !c.relevant() {
		return nil, nil
	}
	for _, fn := range ssair.Of(pass).SrcFuncs() {
		if c.inTestFile(fn.Pos()) {
			continue
		}
		c.summarize(fn)
	}
	return nil, nil
}

type checker struct {
	pass    *analysis.Pass
	r       *report.Reporter
	summary map[*ssa.Function]*summary
	owns    map[*types.Func][]int
}

// summary is what callers need to know of a function of this package.
type summary struct {
	done    bool
	returns *returnsWriter
	leaks   *leaksWriter
}

// pipeWriterType is *io.PipeWriter.
func isPipeWriter(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Name() == "PipeWriter" && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "io"
}

func resultsHavePipeWriter(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if isPipeWriter(v.Type()) {
			return true
		}
	}
	return false
}

// relevant is the fast path: only a package that calls something returning a
// pipe writer, or a function known to return or leak one, can hold a finding
// or export a fact that matters.
func (c *checker) relevant() bool {
	for _, obj := range c.pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		if resultsHavePipeWriter(fn.Signature()) {
			return true
		}
		if fn.Pkg() != nil && fn.Pkg() != c.pass.Pkg &&
			(c.pass.ImportObjectFact(fn, new(returnsWriter)) || c.pass.ImportObjectFact(fn, new(leaksWriter))) {
			return true
		}
	}
	return false
}

func (c *checker) inTestFile(pos token.Pos) bool {
	return !includeTests && report.InTestFile(c.pass, pos)
}

func (c *checker) posString(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// funcObj returns the declared function or method of fn, for facts.
func funcObj(fn *ssa.Function) *types.Func {
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// calleeSummary returns what is known of a called function: from this
// package's summaries or from facts of another package.
func (c *checker) calleeSummary(callee *ssa.Function) (*returnsWriter, *leaksWriter) {
	if callee == nil {
		return nil, nil
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg {
		if callee.Blocks == nil {
			return nil, nil
		}
		s := c.summarize(callee)
		return s.returns, s.leaks
	}
	obj := funcObj(callee)
	if obj == nil {
		return nil, nil
	}
	var rw *returnsWriter
	var lw *leaksWriter
	if f := new(returnsWriter); c.pass.ImportObjectFact(obj, f) {
		rw = f
	}
	if f := new(leaksWriter); c.pass.ImportObjectFact(obj, f) {
		lw = f
	}
	return rw, lw
}

// describe names the function a call calls, as "pkg.Type.Method" or "pkg.Func".
func describe(common *ssa.CallCommon) string {
	if common.IsInvoke() {
		recv := types.Unalias(common.Value.Type())
		if n, ok := recv.(*types.Named); ok && n.Obj().Pkg() != nil {
			return n.Obj().Pkg().Name() + "." + n.Obj().Name() + "." + common.Method.Name()
		}
		return common.Method.Name()
	}
	if callee := common.StaticCallee(); callee != nil {
		if o := callee.Origin(); o != nil {
			callee = o
		}
		if obj := funcObj(callee); obj != nil {
			return names.Func(obj)
		}
		return callee.Name()
	}
	return "a function value"
}

// A source is a goroutine-backed writer born in the function.
type source struct {
	call   *ssa.Call // the call that creates it
	value  ssa.Value // the writer: the call, or an Extract of it
	origin string    // what creates it
}

// summarize analyses fn once: it reports the writers fn leaks on a repeated
// path, and records what fn's callers must know.
func (c *checker) summarize(fn *ssa.Function) *summary {
	if s, ok := c.summary[fn]; ok {
		return s // done, or in progress on a recursive call: treat as empty
	}
	s := &summary{}
	c.summary[fn] = s
	defer func() { s.done = true }()
	if fn.Blocks == nil {
		return s
	}
	scope := reqscope.Of(fn)

	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			for _, src := range c.sources(call) {
				c.follow(fn, scope, s, src)
			}
			// A call of a function that leaks a writer leaks it here.
			_, lw := c.calleeSummary(call.Call.StaticCallee())
			if lw == nil || c.inTestFile(call.Pos()) {
				continue
			}
			if why, repeated := repeatedAt(scope, call); repeated {
				c.reportCall(call, lw, why)
			} else if scope.Kind == reqscope.Unknown && s.leaks == nil {
				s.leaks = &leaksWriter{Origin: lw.Origin, At: lw.At}
			}
		}
	}

	if obj := funcObj(fn); obj != nil && fn.Parent() == nil && (fn.Origin() == nil || fn.Origin() == fn) {
		if s.returns != nil {
			c.pass.ExportObjectFact(obj, s.returns)
		}
		if s.leaks != nil {
			c.pass.ExportObjectFact(obj, s.leaks)
		}
	}
	return s
}

// repeatedAt reports whether instr, in a function of the given scope, runs
// again and again, and why.
func repeatedAt(scope reqscope.Scope, instr ssa.Instruction) (string, bool) {
	if scope.Kind == reqscope.Repeated {
		return scope.Why, true
	}
	if scope.Kind == reqscope.Unknown && reqscope.InLoop(instr) {
		return "on every iteration of a loop", true
	}
	return "", false
}

// sources returns the goroutine-backed writers a call creates.
func (c *checker) sources(call *ssa.Call) []source {
	common := &call.Call
	rw, _ := c.calleeSummary(common.StaticCallee())
	isIOPipe := false
	if callee := common.StaticCallee(); callee != nil {
		if obj := funcObj(callee); obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "io" && obj.Name() == "Pipe" {
			isIOPipe = true
		}
	}
	isSource := func(i int, t types.Type) bool {
		return isPipeWriter(t) || rw != nil && slices.Contains(rw.Results, i)
	}

	var out []source
	defer func() {
		if len(out) > 0 && out[0].origin == "" {
			origin := describe(common)
			for i := range out {
				out[i].origin = origin
			}
		}
	}()
	switch t := call.Type().(type) {
	case *types.Tuple:
		var reader ssa.Value
		var writers []source
		for _, ref := range referrers(call) {
			ex, ok := ref.(*ssa.Extract)
			if !ok {
				continue
			}
			if ex.Index == 0 && isIOPipe {
				reader = ex
			}
			if isSource(ex.Index, t.At(ex.Index).Type()) {
				writers = append(writers, source{call: call, value: ex})
			}
		}
		if isIOPipe {
			// A bare pipe owns no goroutine until its reader is given to one.
			if reader == nil || !handedToGoroutine(reader, 0) {
				return nil
			}
			for i := range writers {
				writers[i].origin = "io.Pipe (its reader is read by a goroutine)"
			}
		}
		out = writers
	default:
		if isSource(0, t) {
			out = append(out, source{call: call, value: call})
		}
	}
	return out
}

func referrers(v ssa.Value) []ssa.Instruction {
	if refs := v.Referrers(); refs != nil {
		return *refs
	}
	return nil
}

// handedToGoroutine reports whether v is passed to, or captured by, a function
// started with a go statement.
func handedToGoroutine(v ssa.Value, depth int) bool {
	if depth > 4 {
		return false
	}
	for _, ref := range referrers(v) {
		switch ref := ref.(type) {
		case *ssa.Go:
			return true
		case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
			if handedToGoroutine(ref.(ssa.Value), depth+1) {
				return true
			}
		case *ssa.MakeClosure:
			for _, cref := range referrers(ref) {
				if _, ok := cref.(*ssa.Go); ok {
					return true
				}
			}
		case *ssa.UnOp:
			if ref.Op == token.MUL && handedToGoroutine(ref, depth+1) {
				return true
			}
		case *ssa.Store:
			if alloc, ok := ref.Addr.(*ssa.Alloc); ok && ref.Val == v && handedToGoroutine(alloc, depth+1) {
				return true
			}
		}
	}
	return false
}
