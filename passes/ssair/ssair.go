// Package ssair provides the single SSA form that every proxylint check shares.
//
// Unlike x/tools' buildssa, the IR is built lazily: a check first decides, from
// the syntax and type information alone, whether the package can contain its
// pattern, and only then asks for the IR. Most packages of a large module never
// need it, so they never pay for it. The IR is built at most once per package
// no matter how many checks ask for it, and checks running concurrently on the
// same package share it.
package ssair

import (
	"go/ast"
	"go/types"
	"reflect"
	"runtime"
	"sync"
	"weak"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Analyzer provides a *IR for each package.
var Analyzer = &analysis.Analyzer{
	Name:       "ssair",
	Doc:        "provides the lazily built SSA form shared by proxylint checks",
	URL:        "https://pkg.go.dev/github.com/proxylint/proxylint/passes/ssair",
	Run:        run,
	ResultType: reflect.TypeFor[*IR](),
}

// IR is the lazily built SSA form of one package.
type IR struct {
	pass  *analysis.Pass
	once  sync.Once
	pkg   *ssa.Package
	funcs []*ssa.Function

	memoMu sync.Mutex
	memo   map[any]any // see Memo
}

// irs maps each SSA package that an IR built to that IR, both weakly: an
// entry neither keeps a package's SSA alive nor outlives its IR.
var irs sync.Map // weak.Pointer[ssa.Package] -> weak.Pointer[IR]

func run(pass *analysis.Pass) (any, error) {
	return &IR{pass: pass}, nil
}

// Of returns the shared IR of the package under analysis. The pass must
// belong to an analyzer that Requires Analyzer.
func Of(pass *analysis.Pass) *IR {
	return pass.ResultOf[Analyzer].(*IR)
}

// Package returns the SSA package, building it on first use.
func (ir *IR) Package() *ssa.Package {
	ir.build()
	return ir.pkg
}

// SrcFuncs returns the package's source functions (declared functions,
// methods and init functions, each followed by its function literals) in
// source order, building the IR on first use.
func (ir *IR) SrcFuncs() []*ssa.Function {
	ir.build()
	return ir.funcs
}

func (ir *IR) build() { ir.once.Do(ir.doBuild) }

func (ir *IR) doBuild() {
	pass := ir.pass
	prog := ssa.NewProgram(pass.Fset, ssa.BuilderMode(0))
	prog.SetNoReturn(noReturn)
	for _, p := range pass.Pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	ir.pkg = prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	ir.pkg.Build()
	key := weak.Make(ir.pkg)
	irs.Store(key, weak.Make(ir))
	runtime.AddCleanup(ir, func(key weak.Pointer[ssa.Package]) { irs.Delete(key) }, key)

	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		ir.funcs = append(ir.funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			decl, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if !ok {
				continue
			}
			if f := prog.FuncValue(obj); f != nil {
				add(f)
			}
		}
	}
	// Package-level variable initialisers live in the synthetic init function.
	if init := ir.pkg.Func("init"); init != nil {
		add(init)
	}
}

// Memo returns what compute derives from pkg, an SSA package built by an
// IR, computing it once per key and package. The value lives as long as the
// package's IR, which the driver drops once the package is analysed: a
// package-level cache of such values would keep the SSA of every package it
// names, and the SSA of its imports' members, for the whole run. For a
// package built elsewhere, compute runs on every call. compute must not call
// Memo for the same package.
func Memo[T any](pkg *ssa.Package, key any, compute func() T) T {
	var ir *IR
	if v, ok := irs.Load(weak.Make(pkg)); ok {
		ir = v.(weak.Pointer[IR]).Value()
	}
	if ir == nil {
		return compute()
	}
	ir.memoMu.Lock()
	defer ir.memoMu.Unlock()
	if v, ok := ir.memo[key]; ok {
		return v.(T)
	}
	v := compute()
	if ir.memo == nil {
		ir.memo = map[any]any{}
	}
	ir.memo[key] = v
	return v
}

// noReturn reports functions that never return normally, so that the blocks
// after a call to them are not taken for paths that reach the function's end.
// x/tools' ctrlflow computes this with facts over every dependency; a fixed
// list of the common exits is nearly as good and costs nothing.
func noReturn(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "os", "syscall":
		return name == "Exit"
	case "runtime":
		return name == "Goexit"
	case "log":
		switch name {
		case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln":
			return true
		}
	case "testing":
		switch name {
		case "FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf":
			return true
		}
	case "github.com/sirupsen/logrus", "k8s.io/klog", "k8s.io/klog/v2":
		switch name {
		case "Fatal", "Fatalf", "Fatalln", "Exit", "Exitf", "Exitln", "Panic", "Panicf", "Panicln":
			return true
		}
	}
	return false
}

// Unconvert looks through the conversions that keep a value what it is:
// interface boxing (MakeInterface, ChangeInterface) and named-type changes
// (ChangeType).
func Unconvert(v ssa.Value) ssa.Value {
	for range 16 {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// EmbeddedField reports whether fa addresses an embedded field of the
// struct its operand points to (the receiver of a promoted method).
func EmbeddedField(fa *ssa.FieldAddr) bool {
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	return ok && fa.Field < st.NumFields() && st.Field(fa.Field).Embedded()
}
