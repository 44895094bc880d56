// Package locks computes which mutexes are held at each SSA instruction of a
// function.
//
// The analysis has two parts, after gVisor's checklocks:
//
//   - Facts (cheap, syntax and types only, no SSA): a function whose body
//     leaves a mutex reachable from one of its parameters locked or unlocked
//     on return — a helper such as lockAll(s) or (*T).unlock() — gets a
//     [Effects] fact, exported on its *types.Func, so that callers in other
//     packages see the helper's effect. Only packages that import "sync"
//     compute facts.
//
//   - Lock state (SSA, lazy): [Result.Func] runs a forward dataflow over the
//     blocks of one function, on demand, tracking the mutexes that are held
//     on every path (must) and on some path (may) to each instruction.
//     Lock/RLock add a mutex, Unlock/RUnlock remove it, a deferred unlock
//     keeps the mutex held to the end of the function, and calls to helpers
//     apply their facts. A check asks only for the functions it cares about,
//     only in packages its prefilter accepts, so the IR is never built for
//     this pass alone.
//
// Mutexes are named by where they live rather than by SSA value, so that the
// same mutex has the same name in every method of a type: c.connsMu in any
// method of *connectionTracker is "connectionTracker.connsMu", an embedded
// mutex is "T.Mutex", a package-level mutex is "pkg.mu". See [Name].
package locks

import (
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/proxylint/proxylint/passes/ssair"
)

// Analyzer exports lock-effect facts and provides a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "locks",
	Doc:        "computes the mutexes held at each SSA instruction, with lock effects of helpers as facts",
	URL:        "https://pkg.go.dev/github.com/proxylint/proxylint/passes/locks",
	Run:        run,
	Requires:   []*analysis.Analyzer{ssair.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(Effects)},
}

// Op is what a function does to a mutex.
type Op int

const (
	Acquire  Op = iota + 1 // Lock
	RAcquire               // RLock
	Release                // Unlock
	RRelease               // RUnlock
)

// An Effect is a net change a function makes to a mutex reachable from one of
// its parameters: parameter Param (0 is the receiver of a method), then the
// field selections in Path (dot-separated, empty for the parameter itself).
type Effect struct {
	Param int
	Path  string
	Op    Op
}

// Effects is the fact exported on a function that leaves mutexes locked or
// unlocked when it returns.
type Effects struct {
	Effects []Effect
}

func (*Effects) AFact() {}

func (e *Effects) String() string {
	var parts []string
	for _, ef := range e.Effects {
		op := map[Op]string{Acquire: "locks", RAcquire: "rlocks", Release: "unlocks", RRelease: "runlocks"}[ef.Op]
		p := "p" + strconv.Itoa(ef.Param)
		if ef.Path != "" {
			p += "." + ef.Path
		}
		parts = append(parts, op+" "+p)
	}
	return strings.Join(parts, ", ")
}

// Result gives the lock state of the package's functions.
type Result struct {
	pass    *analysis.Pass
	effects map[*types.Func][]Effect // this package's helpers

	mu    sync.Mutex
	funcs map[*ssa.Function]*FuncState
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{pass: pass, effects: map[*types.Func][]Effect{}, funcs: map[*ssa.Function]*FuncState{}}
	if !importsSync(pass.Pkg) {
		return res, nil
	}
	computeEffects(pass, res.effects)
	for fn, effs := range res.effects {
		if len(effs) > 0 && fn.Pkg() == pass.Pkg {
			pass.ExportObjectFact(fn, &Effects{Effects: effs})
		}
	}
	return res, nil
}

func importsSync(pkg *types.Package) bool {
	for _, imp := range pkg.Imports() {
		if imp.Path() == "sync" {
			return true
		}
	}
	return false
}

// Of returns the Result of the package under analysis; the pass's analyzer
// must Require Analyzer.
func Of(pass *analysis.Pass) *Result {
	return pass.ResultOf[Analyzer].(*Result)
}

// effectsOf returns the lock effects of calling fn.
func (r *Result) effectsOf(fn *types.Func) []Effect {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pass.Pkg {
		return r.effects[fn]
	}
	var f Effects
	if r.pass.ImportObjectFact(fn, &f) {
		return f.Effects
	}
	return nil
}

// syncOp classifies a call of a sync.Mutex or sync.RWMutex method.
func syncOp(fn *types.Func) Op {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return 0
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return 0
	}
	t, ok := types.Unalias(deref(recv.Type())).(*types.Named)
	if !ok || (t.Obj().Name() != "Mutex" && t.Obj().Name() != "RWMutex") {
		return 0
	}
	switch fn.Name() {
	case "Lock":
		return Acquire
	case "RLock":
		return RAcquire
	case "Unlock":
		return Release
	case "RUnlock":
		return RRelease
	}
	return 0
}

// ---- facts, from syntax ----

type astKey struct {
	param int
	path  string
	read  bool
}

// computeEffects records the net lock effect of every function declared in
// the package, iterating so that helpers calling helpers are seen.
func computeEffects(pass *analysis.Pass, out map[*types.Func][]Effect) {
	type decl struct {
		fn     *types.Func
		params map[*types.Var]int
		body   *ast.BlockStmt
	}
	var decls []decl
	// Function declarations are top-level: no inspector (an event table of
	// the whole package's syntax) is needed to list them.
	for _, fd := range funcDecls(pass.Files) {
		fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if !ok || fd.Body == nil {
			continue
		}
		params := map[*types.Var]int{}
		i := 0
		if recv := fn.Signature().Recv(); recv != nil {
			params[recv] = 0
			i = 1
		}
		for v := range fn.Signature().Params().Variables() {
			params[v] = i
			i++
		}
		decls = append(decls, decl{fn, params, fd.Body})
	}
	if len(decls) == 0 {
		return
	}
	// Helpers calling helpers converge in as many rounds as the call chain
	// is deep; three is plenty in practice.
	for range 3 {
		changed := false
		for _, d := range decls {
			effs := bodyEffects(pass, d.body, d.params, out)
			if !slices.Equal(effs, out[d.fn]) {
				out[d.fn] = effs
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

func bodyEffects(pass *analysis.Pass, body *ast.BlockStmt, params map[*types.Var]int, local map[*types.Func][]Effect) []Effect {
	count := map[astKey]int{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // runs some other time, if at all
		case *ast.GoStmt:
			return false
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(pass.TypesInfo, n).(*types.Func)
			if fn == nil {
				return true
			}
			if op := syncOp(fn); op != 0 {
				sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
				if !ok {
					return true
				}
				param, path, ok := exprPath(pass.TypesInfo, sel.X, params)
				if !ok {
					return true
				}
				// An embedded mutex: c.Lock() selects through c's fields.
				if s := pass.TypesInfo.Selections[sel]; s != nil {
					path = joinPath(path, embeddedPath(s))
				}
				apply(count, astKey{param, path, op == RAcquire || op == RRelease}, op)
				return true
			}
			var effs []Effect
			if fn.Pkg() == pass.Pkg {
				effs = local[fn.Origin()]
			} else {
				var f Effects
				if pass.ImportObjectFact(fn.Origin(), &f) {
					effs = f.Effects
				}
			}
			if len(effs) == 0 {
				return true
			}
			args := callArgs(n)
			for _, ef := range effs {
				if ef.Param >= len(args) {
					continue
				}
				param, path, ok := exprPath(pass.TypesInfo, args[ef.Param], params)
				if !ok {
					continue
				}
				apply(count, astKey{param, joinPath(path, ef.Path), ef.Op == RAcquire || ef.Op == RRelease}, ef.Op)
			}
		}
		return true
	})
	var effs []Effect
	for k, c := range count {
		switch {
		case c > 0 && k.read:
			effs = append(effs, Effect{k.param, k.path, RAcquire})
		case c > 0:
			effs = append(effs, Effect{k.param, k.path, Acquire})
		case c < 0 && k.read:
			effs = append(effs, Effect{k.param, k.path, RRelease})
		case c < 0:
			effs = append(effs, Effect{k.param, k.path, Release})
		}
	}
	sort.Slice(effs, func(i, j int) bool {
		a, b := effs[i], effs[j]
		if a.Param != b.Param {
			return a.Param < b.Param
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Op < b.Op
	})
	return effs
}

func apply(count map[astKey]int, k astKey, op Op) {
	switch op {
	case Acquire, RAcquire:
		count[k]++
	case Release, RRelease:
		count[k]--
	}
}

// callArgs returns the receiver (for a method call) followed by the
// arguments, matching Effect.Param.
func callArgs(call *ast.CallExpr) []ast.Expr {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		return append([]ast.Expr{sel.X}, call.Args...)
	}
	return call.Args
}

// exprPath resolves x, a chain of field selections from a parameter, to the
// parameter's index and the field path.
func exprPath(info *types.Info, x ast.Expr, params map[*types.Var]int) (int, string, bool) {
	var fields []string
	for {
		switch e := ast.Unparen(x).(type) {
		case *ast.Ident:
			v, ok := info.Uses[e].(*types.Var)
			if !ok {
				return 0, "", false
			}
			i, ok := params[v]
			if !ok {
				return 0, "", false
			}
			slices.Reverse(fields)
			return i, strings.Join(fields, "."), true
		case *ast.SelectorExpr:
			s := info.Selections[e]
			if s == nil || s.Kind() != types.FieldVal {
				return 0, "", false
			}
			fields = append(fields, e.Sel.Name)
			if emb := embeddedPath(s); emb != "" {
				// Implicit embedded fields between X and Sel.
				parts := strings.Split(emb, ".")
				slices.Reverse(parts)
				fields = append(fields, parts...)
			}
			x = e.X
		case *ast.StarExpr:
			x = e.X
		case *ast.UnaryExpr:
			if e.Op.String() != "&" {
				return 0, "", false
			}
			x = e.X
		default:
			return 0, "", false
		}
	}
}

// embeddedPath returns the implicit embedded fields a selection goes through:
// all indices but the last, which is the field or method selected.
func embeddedPath(s *types.Selection) string {
	idx := s.Index()
	n := len(idx) - 1
	var names []string
	t := s.Recv()
	for _, i := range idx[:max(n, 0)] {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return strings.Join(names, ".")
		}
		f := st.Field(i)
		names = append(names, f.Name())
		t = f.Type()
	}
	return strings.Join(names, ".")
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// funcDecls lists the function declarations of files, in order.
func funcDecls(files []*ast.File) []*ast.FuncDecl {
	var list []*ast.FuncDecl
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				list = append(list, fd)
			}
		}
	}
	return list
}
