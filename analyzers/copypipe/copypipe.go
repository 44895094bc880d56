package copypipe

import (
	_ "embed"
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/goflow"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Analyzer is the copypipe check.
var Analyzer = &analysis.Analyzer{
	Name:     "copypipe",
	Doc:      checkdoc.Extract(doc, "copypipe"),
	URL:      checkdoc.URL("copypipe"),
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer},
	Run:      run,
}

// A copy is one direction of a pipe: io.Copy(dst, src) or io.CopyBuffer,
// called directly, through a helper of the package whose parameters it
// copies between, or started with go.
type copy struct {
	instr    ssa.CallInstruction // the call or go statement
	fn       *ssa.Function       // the function holding instr
	spawn    *goflow.Spawn       // the goroutine it runs in, if any
	inner    *innerCopy          // the copy inside a helper, if instr calls one
	dst, src ssa.Value           // roots
}

type innerCopy struct {
	fn    *ssa.Function
	instr ssa.CallInstruction
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	if !usesCopy(pass) {
		return nil, nil
	}
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
	// helpers: functions that copy between two of their parameters.
	helpers := map[*ssa.Function][2]int{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(*ssa.Call); ok && isCopy(c.Common()) {
					d, s := paramIndex(c.Common().Args[0]), paramIndex(c.Common().Args[1])
					if d >= 0 && s >= 0 && fn.Parent() == nil && len(goflow.Spawns(fn)) == 0 {
						helpers[fn] = [2]int{d, s}
					}
				}
			}
		}
	}
	var copies []*copy
	for _, fn := range funcs {
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
				var d, s ssa.Value
				var inner *innerCopy
				if isCopy(com) {
					d, s = com.Args[0], com.Args[1]
				} else if callee := com.StaticCallee(); callee != nil {
					if h, ok := helpers[callee]; ok && h[0] < len(com.Args) && h[1] < len(com.Args) {
						d, s = com.Args[h[0]], com.Args[h[1]]
						inner = &innerCopy{fn: callee, instr: helperCopy(callee)}
					}
				}
				if d == nil {
					continue
				}
				c := &copy{instr: ci, fn: fn, inner: inner}
				if g, ok := instr.(*ssa.Go); ok {
					c.spawn = &goflow.Spawn{Go: g, Parent: fn}
				} else {
					c.spawn = spawnOf[fn]
				}
				if _, isHelper := helpers[fn]; isHelper && inner == nil {
					continue // represented where the helper is called
				}
				c.dst, c.src = goflow.Root(d, spawnOf[fn]), goflow.Root(s, spawnOf[fn])
				if c.dst == c.src {
					continue
				}
				copies = append(copies, c)
			}
		}
	}
	reported := map[*copy]bool{}
	for i, a := range copies {
		for _, b := range copies[i+1:] {
			if a.dst != b.src || a.src != b.dst || reported[a] || reported[b] {
				continue
			}
			if c, why := leak(a, b); c != nil {
				reported[a], reported[b] = true, true
				other := b
				if c == b {
					other = a
				}
				op := pass.Fset.Position(other.instr.Pos())
				dn, sn := argName(c.instr, 0), argName(c.instr, 1)
				r.Report(analysis.Diagnostic{
					Pos:     c.instr.Pos(),
					Message: fmt.Sprintf("one direction of a pipe between %s and %s: %s, so the copy in the other direction (line %d) stays blocked reading, with its goroutine and both connections, forever; close both connections (or CloseWrite the destination) when either copy returns", dn, sn, why, op.Line),
				})
			}
		}
	}
	return nil, nil
}

// leak decides whether the pipe made of copies a and b can leave one
// direction blocked forever, and returns the copy to report and why.
func leak(a, b *copy) (*copy, string) {
	inGo := func(c *copy) bool { return c.spawn != nil }
	if !inGo(a) && !inGo(b) {
		return nil, "" // not concurrent: sequential copies are not a pipe
	}
	roots := []ssa.Value{a.dst, a.src}
	if inGo(a) && inGo(b) {
		// Both directions in goroutines: their starter may close after
		// waiting for one of them.
		if a.spawn.Parent != b.spawn.Parent {
			return nil, ""
		}
		f := a.spawn.Parent
		if closes(a, roots) || closes(b, roots) {
			if closes(a, roots) && closes(b, roots) {
				return nil, ""
			}
		}
		if closesIn(f, roots, 0) || !local(f, roots) {
			return nil, ""
		}
		for _, c := range []*copy{a, b} {
			if !closes(c, roots) {
				return c, "when it returns nothing closes either connection, and the function that started both goroutines never closes them"
			}
		}
		return nil, ""
	}
	g, f := a, b
	if !inGo(a) {
		g, f = b, a
	}
	if !closes(g, roots) {
		return g, "when this copy returns (its source reached EOF or failed) nothing closes either connection"
	}
	if !closes(f, roots) {
		if waitsAfter(f) {
			return f, "when this copy returns the function waits for the other goroutine before closing anything"
		}
		if local(f.fn, roots) {
			return f, "when this copy returns nothing closes either connection"
		}
	}
	return nil, ""
}

// closes reports whether, after copy c returns, its goroutine or function
// closes one of the roots (or cancels a context), directly, through a
// closure or helper it calls, or in a deferred call.
func closes(c *copy, roots []ssa.Value) bool {
	if c.inner != nil && c.inner.instr != nil && closesAfter(c.inner.fn, c.inner.instr, roots, nil, false) {
		return true
	}
	if _, isGo := c.instr.(*ssa.Go); isGo {
		return false // go io.Copy(a, b): the goroutine ends with the copy
	}
	return closesAfter(c.fn, c.instr, roots, c.spawn, c.spawn == nil)
}

func closesAfter(fn *ssa.Function, instr ssa.Instruction, roots []ssa.Value, spawn *goflow.Spawn, stopAtWait bool) bool {
	found, waited := false, false
	goflow.After(instr, func(in ssa.Instruction) bool {
		if stopAtWait && goflow.IsWait(in) {
			waited = true
			return true // keep scanning: a close after the wait does not count
		}
		if waited {
			return true
		}
		if ci, ok := in.(ssa.CallInstruction); ok && closeLike(ci.Common(), roots, spawn, 0) {
			found = true
			return false
		}
		return true
	})
	if found {
		return true
	}
	if stopAtWait && waited {
		return false
	}
	return defersClose(fn, roots, spawn)
}

func defersClose(fn *ssa.Function, roots []ssa.Value, spawn *goflow.Spawn) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if d, ok := in.(*ssa.Defer); ok && closeLike(d.Common(), roots, spawn, 0) {
				return true
			}
		}
	}
	return false
}

// closesIn reports whether fn contains a close-like call on the roots.
func closesIn(fn *ssa.Function, roots []ssa.Value, depth int) bool {
	if fn == nil || depth > 3 {
		return false
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if ci, ok := in.(ssa.CallInstruction); ok {
				if _, isGo := in.(*ssa.Go); isGo {
					continue
				}
				if closeLike(ci.Common(), roots, nil, depth) {
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
func closeLike(com *ssa.CallCommon, roots []ssa.Value, spawn *goflow.Spawn, depth int) bool {
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
		return true
	}
	name := ""
	var recv ssa.Value
	if com.IsInvoke() {
		name, recv = com.Method.Name(), com.Value
	} else if callee := com.StaticCallee(); callee != nil {
		name = callee.Name()
		if callee.Signature.Recv() != nil && len(com.Args) > 0 {
			recv = com.Args[0]
		}
	}
	if recv != nil && isRoot(recv) && closeName(name) {
		return true
	}
	if strings.Contains(strings.ToLower(name), "close") {
		for _, a := range com.Args {
			if isRoot(a) {
				return true
			}
		}
	}
	if !com.IsInvoke() {
		if body := goflow.FuncOf(com.Value); body != nil {
			if closesIn(body, roots, depth+1) {
				return true
			}
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

// waitsAfter reports whether a blocking wait follows the copy in its function.
func waitsAfter(c *copy) bool {
	w := false
	goflow.After(c.instr, func(in ssa.Instruction) bool {
		if goflow.IsWait(in) {
			w = true
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

// argName names the i-th copied connection of a copy as the source does.
func argName(ci ssa.CallInstruction, i int) string {
	com := ci.Common()
	if callee := com.StaticCallee(); callee != nil && !isCopy(com) {
		if h := paramIndexes(callee); h != nil {
			i = h[i]
		}
	}
	if i >= len(com.Args) {
		return "a connection"
	}
	v := com.Args[i]
	for k := 0; k < 8; k++ {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			v = x.X
		case *ssa.Alloc:
			if x.Comment != "" {
				return x.Comment
			}
			return name(x)
		case *ssa.FreeVar, *ssa.Parameter:
			return x.Name()
		default:
			return name(v)
		}
	}
	return name(v)
}

func name(v ssa.Value) string {
	if n := v.Name(); n != "" && !strings.HasPrefix(n, "t") {
		return n
	}
	switch x := v.(type) {
	case *ssa.Alloc:
		if x.Comment != "" {
			return x.Comment
		}
	case *ssa.Extract:
		if c, ok := x.Tuple.(*ssa.Call); ok {
			if callee := c.Common().StaticCallee(); callee != nil {
				return "the connection from " + callee.Name()
			}
			if c.Common().IsInvoke() {
				return "the connection from " + c.Common().Method.Name()
			}
		}
	}
	return "the " + types.TypeString(v.Type(), func(p *types.Package) string { return p.Name() })
}

func isCopy(com *ssa.CallCommon) bool {
	callee := com.StaticCallee()
	if callee == nil || len(com.Args) < 2 {
		return false
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg().Path() != "io" {
		return false
	}
	return obj.Name() == "Copy" || obj.Name() == "CopyBuffer"
}

func helperCopy(fn *ssa.Function) ssa.CallInstruction {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(*ssa.Call); ok && isCopy(c.Common()) {
				return c
			}
		}
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

// usesCopy is the prefilter: the package calls io.Copy or io.CopyBuffer.
func usesCopy(pass *analysis.Pass) bool {
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "io" && (fn.Name() == "Copy" || fn.Name() == "CopyBuffer") {
			return true
		}
	}
	return false
}

// paramIndexes returns the parameter indexes of the destination and source
// of the copy a helper makes, or nil.
func paramIndexes(fn *ssa.Function) []int {
	c, ok := helperCopy(fn).(*ssa.Call)
	if !ok || c == nil {
		return nil
	}
	d, s := paramIndex(c.Common().Args[0]), paramIndex(c.Common().Args[1])
	if d < 0 || s < 0 {
		return nil
	}
	return []int{d, s}
}
