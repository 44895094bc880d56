package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"
)

// The standalone driver analyses the import graph one package at a time, in
// dependency order, so that only the packages being analysed right now hold
// their syntax, type information and analysis results (the SSA form above
// all). What each package leaves behind for its importers is a light
// *types.Package, read back from its export data (see lighten), which they
// are type-checked against, and the facts its passes exported, which stay
// Go values keyed by the light package's objects. Packages whose
// dependencies are done are analysed in parallel, one per CPU.
//
// Root packages (those the patterns named) get every check and the passes
// they require; the other packages get only the passes that produce facts,
// and what those require, and their diagnostics are dropped.

// loadMode is the metadata the driver needs from go list: no syntax and no
// types, which it builds itself package by package.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
	packages.NeedDeps | packages.NeedModule | packages.NeedTypesSizes | packages.NeedEmbedFiles

// A unit is one package of the import graph and what its analysis left.
type unit struct {
	pkg       *packages.Package
	root      bool
	imports   []*unit // sorted by import path
	importers []*unit
	order     []*analysis.Analyzer // the analyzers to run, each after its Requires

	pending  atomic.Int32 // imports not yet analysed
	needRun  bool         // analysed in this run (not answered from the cache)
	reused   bool         // types and facts kept from an earlier run of the language server (lsp.go)
	key      cacheKey     // see cache.go
	cached   *cacheEntry  // the findings of a cache hit
	types    *types.Package
	illTyped bool // the package or a dependency has errors
	tainted  bool // an analysis failed on the package or a dependency: not cacheable

	failed   map[*analysis.Analyzer]bool // analyzers that did not run (error, skip, failed prerequisite)
	objFacts map[objFactKey]analysis.Fact
	pkgFacts map[reflect.Type]analysis.Fact

	diags map[*analysis.Analyzer][]analysis.Diagnostic // roots only
	errs  []error                                      // analyses that failed here, for the error lines

	depsOnce sync.Once
	deps     map[*unit]bool // the transitive imports, computed when a fact lookup needs them
}

type objFactKey struct {
	obj types.Object
	typ reflect.Type
}

// A driver runs the analysis of one standalone run.
type driver struct {
	fset    *token.FileSet
	checks  []*analysis.Analyzer
	units   []*unit // every package, dependencies before importers
	roots   []*unit // the packages returned by the load, in its order
	byTypes sync.Map
	keyed   bool // computeKeys has run
}

// newDriver builds the units of the graph below pkgs and decides which
// analyzers each runs.
func newDriver(pkgs []*packages.Package, checks []*analysis.Analyzer) *driver {
	d := &driver{fset: token.NewFileSet(), checks: checks}
	rootOrder := requiresOrder(checks)
	var factful []*analysis.Analyzer
	for _, a := range rootOrder {
		if len(a.FactTypes) > 0 {
			factful = append(factful, a)
		}
	}
	depOrder := requiresOrder(factful)

	units := map[*packages.Package]*unit{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		u := &unit{pkg: p, order: depOrder}
		units[p] = u
		d.units = append(d.units, u)
		paths := make([]string, 0, len(p.Imports))
		for path := range p.Imports {
			paths = append(paths, path)
		}
		slices.Sort(paths)
		for _, path := range paths {
			imp := units[p.Imports[path]]
			u.imports = append(u.imports, imp)
			imp.importers = append(imp.importers, u)
		}
	})
	for _, p := range pkgs {
		u := units[p]
		if !u.root {
			u.root = true
			u.order = rootOrder
			d.roots = append(d.roots, u)
		}
	}
	return d
}

// requiresOrder lists the analyzers and everything they require, each after
// its requirements, in a fixed order.
func requiresOrder(list []*analysis.Analyzer) []*analysis.Analyzer {
	var order []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		order = append(order, a)
	}
	for _, a := range list {
		visit(a)
	}
	return order
}

// markNeeded decides what this run analyses: every root without a cache hit,
// and every package such a root depends on, whose types and facts it needs,
// unless the language server kept them from an earlier run.
func (d *driver) markNeeded() {
	var need func(u *unit)
	need = func(u *unit) {
		if u.needRun || u.reused {
			return
		}
		u.needRun = true
		for _, imp := range u.imports {
			need(imp)
		}
	}
	for _, u := range d.roots {
		if u.cached == nil && u.diags == nil {
			need(u)
		}
	}
}

// analyse runs every unit that needs it, each once all its imports are
// done, on GOMAXPROCS workers.
func (d *driver) analyse() {
	var todo []*unit
	for _, u := range d.units {
		if !u.needRun {
			continue
		}
		todo = append(todo, u)
		n := 0
		for _, imp := range u.imports {
			if imp.needRun { // the others were reused
				n++
			}
		}
		u.pending.Store(int32(n))
	}
	if len(todo) == 0 {
		return
	}
	ready := make(chan *unit, len(todo))
	for _, u := range todo {
		if u.pending.Load() == 0 {
			ready <- u
		}
	}
	var left atomic.Int64
	left.Store(int64(len(todo)))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range ready {
				d.analyseUnit(u)
				for _, imp := range u.importers {
					if imp.needRun && imp.pending.Add(-1) == 0 {
						ready <- imp
					}
				}
				if left.Add(-1) == 0 {
					close(ready)
				}
			}
		}()
	}
	wg.Wait()
}

// analyseUnit parses and type-checks one package against its imports' types,
// then runs its analyzers. What it keeps is the package's types and facts,
// and, for a root, its diagnostics.
func (d *driver) analyseUnit(u *unit) {
	p := u.pkg
	u.failed = map[*analysis.Analyzer]bool{}
	u.objFacts = map[objFactKey]analysis.Fact{}
	u.pkgFacts = map[reflect.Type]analysis.Fact{}
	if u.root {
		u.diags = map[*analysis.Analyzer][]analysis.Diagnostic{}
	}
	for _, imp := range u.imports {
		u.tainted = u.tainted || imp.tainted
	}
	if p.PkgPath == "unsafe" {
		u.types = types.Unsafe
		return
	}
	files, info := d.typeCheck(u)
	d.byTypes.Store(u.types, u)
	u.illTyped = len(p.Errors) > 0
	for _, imp := range u.imports {
		u.illTyped = u.illTyped || imp.illTyped
	}
	p.IllTyped = u.illTyped

	module := &analysis.Module{}
	if m := p.Module; m != nil {
		module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
	}
	results := map[*analysis.Analyzer]any{}
	for _, a := range u.order {
		if u.prerequisitesFailed(a) || u.illTyped && !a.RunDespiteErrors {
			u.failed[a] = true
			continue
		}
		res, err := d.runPass(u, a, files, info, module, results)
		if err != nil {
			u.failed[a] = true
			u.tainted = true
			u.errs = append(u.errs, err)
			continue
		}
		results[a] = res
	}
	if d.lighten(u) && !u.root {
		// Nothing refers to the positions of the package's files any
		// more: its importers see the light package, whose objects have
		// positions of their own, and only roots keep diagnostics. The
		// files' line tables go.
		for _, f := range files {
			if tf := d.fset.File(f.FileStart); tf != nil {
				d.fset.RemoveFile(tf)
			}
		}
	}
}

// lighten replaces the types of an analysed package, which hold its
// function bodies' scopes and every local object, by their export data
// read back: the package-level objects only, those its importers can
// reach. It is what go vet's unit checker and staticcheck give importers,
// but read once, into one set of packages that every importer shares, so
// that an object of a dependency stays the same object wherever it is seen
// (the export data of a package refers to its dependencies' objects, which
// reading it finds among theirs). The package's facts move to the objects
// of the light package, found by their objectpath, as go vet moves facts
// from a package to its importers; a fact on an object that has no path in
// the light package is one no importer can name, and is dropped, as go vet
// drops it. A package that did not type-check, or none of whose importers
// runs, keeps its types as they are. lighten reports whether it replaced
// them.
func (d *driver) lighten(u *unit) bool {
	if u.illTyped || u.types == types.Unsafe || !slices.ContainsFunc(u.importers, func(v *unit) bool { return v.needRun }) {
		return false
	}
	heavy := u.types
	imports := map[string]*types.Package{}
	for _, v := range u.visibleFactUnits()[1:] {
		path := v.types.Path()
		if _, dup := imports[path]; dup {
			return false // two variants of one package: the export data cannot say which
		}
		imports[path] = v.types
	}
	var buf bytes.Buffer
	if err := gcexportdata.Write(&buf, d.fset, heavy); err != nil {
		return false
	}
	light, err := gcexportdata.Read(&buf, d.fset, imports, heavy.Path())
	if err != nil {
		return false
	}
	var enc objectpath.Encoder
	facts := make(map[objFactKey]analysis.Fact, len(u.objFacts))
	for k, fact := range u.objFacts {
		path, err := enc.For(k.obj)
		if err != nil {
			continue
		}
		obj, err := objectpath.Object(light, path)
		if err != nil {
			continue
		}
		facts[objFactKey{obj, k.typ}] = fact
	}
	u.objFacts = facts
	u.types = light
	d.byTypes.Store(light, u)
	d.byTypes.Delete(heavy)
	return true
}

// prerequisitesFailed reports whether an analyzer a requires did not run on
// the package, or, for an analyzer with facts, a did not run on an import.
func (u *unit) prerequisitesFailed(a *analysis.Analyzer) bool {
	for _, req := range a.Requires {
		if u.failed[req] {
			return true
		}
	}
	if len(a.FactTypes) > 0 {
		for _, imp := range u.imports {
			if imp.failed[a] {
				return true
			}
		}
	}
	return false
}

// typeCheck parses the package's compiled Go files and type-checks them,
// adding parse and type errors to the package's Errors as go/packages does.
func (d *driver) typeCheck(u *unit) ([]*ast.File, *types.Info) {
	p := u.pkg
	var files []*ast.File
	for _, name := range p.CompiledGoFiles {
		f, err := parser.ParseFile(d.fset, name, nil, parser.AllErrors|parser.ParseComments)
		if f != nil {
			files = append(files, f)
		}
		switch err := err.(type) {
		case nil:
		case scanner.ErrorList:
			for _, e := range err {
				p.Errors = append(p.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
			}
		case *os.PathError:
			p.Errors = append(p.Errors, packages.Error{Pos: err.Path + ":1", Msg: err.Err.Error(), Kind: packages.ParseError})
		default:
			p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
		}
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Instances:    map[*ast.Ident]types.Instance{},
		Scopes:       map[ast.Node]*types.Scope{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		FileVersions: map[*ast.File]string{},
	}
	u.types = types.NewPackage(p.PkgPath, p.Name)
	byPath := map[string]*unit{}
	for _, imp := range u.imports {
		byPath[imp.pkg.PkgPath] = imp
	}
	cfg := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if imp := p.Imports[path]; imp != nil {
				for _, iu := range u.imports {
					if iu.pkg == imp {
						return iu.types, nil
					}
				}
			}
			return nil, fmt.Errorf("no metadata for %s", path)
		}),
		Error: func(err error) {
			te := err.(types.Error)
			p.TypeErrors = append(p.TypeErrors, te)
			p.Errors = append(p.Errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
		},
		Sizes: p.TypesSizes,
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		cfg.GoVersion = "go" + p.Module.GoVersion
	}
	err := types.NewChecker(cfg, d.fset, u.types, info).Files(files)
	if err != nil && len(p.Errors) == 0 {
		// An error the checker did not report through Error (a version
		// too new for go/types, say) still makes the package ill-typed.
		p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.TypeError})
	}
	return files, info
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// runPass runs one analyzer on the unit.
func (d *driver) runPass(u *unit, a *analysis.Analyzer, files []*ast.File, info *types.Info, module *analysis.Module, results map[*analysis.Analyzer]any) (any, error) {
	p := u.pkg
	inputs := map[*analysis.Analyzer]any{}
	for _, req := range a.Requires {
		inputs[req] = results[req]
	}
	factTypes := map[reflect.Type]bool{}
	for _, f := range a.FactTypes {
		factTypes[reflect.TypeOf(f)] = true
	}
	running := true
	pass := &analysis.Pass{
		Analyzer:     a,
		Fset:         d.fset,
		Files:        files,
		OtherFiles:   p.OtherFiles,
		IgnoredFiles: p.IgnoredFiles,
		Pkg:          u.types,
		TypesInfo:    info,
		TypesSizes:   p.TypesSizes,
		TypeErrors:   p.TypeErrors,
		Module:       module,
		ResultOf:     inputs,
		Report: func(diag analysis.Diagnostic) {
			if err := validateFixes(d.fset, diag.SuggestedFixes); err != nil {
				panic(fmt.Sprintf("%s reported a bad suggested fix: %v", a.Name, err))
			}
			if u.root {
				u.diags[a] = append(u.diags[a], diag)
			}
		},
		ImportObjectFact: func(obj types.Object, ptr analysis.Fact) bool {
			if obj == nil {
				panic("ImportObjectFact of a nil object")
			}
			fact := d.objectFact(u, obj, reflect.TypeOf(ptr))
			if fact == nil {
				return false
			}
			reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(fact).Elem())
			return true
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			if !running {
				panic(fmt.Sprintf("%s: ExportObjectFact(%s, %T) called after Run", a.Name, obj, fact))
			}
			if obj.Pkg() != u.types {
				panic(fmt.Sprintf("%s on package %s: ExportObjectFact(%s, %T): the object belongs to another package", a.Name, p.PkgPath, obj, fact))
			}
			u.objFacts[objFactKey{obj, reflect.TypeOf(fact)}] = fact
		},
		ImportPackageFact: func(pkg *types.Package, ptr analysis.Fact) bool {
			if pkg == nil {
				panic("ImportPackageFact of a nil package")
			}
			owner := d.unitOf(pkg)
			if owner == nil || owner != u && !u.dependsOn(owner) {
				return false
			}
			fact := owner.pkgFacts[reflect.TypeOf(ptr)]
			if fact == nil {
				return false
			}
			reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(fact).Elem())
			return true
		},
		ExportPackageFact: func(fact analysis.Fact) {
			if !running {
				panic(fmt.Sprintf("%s: ExportPackageFact(%T) called after Run", a.Name, fact))
			}
			u.pkgFacts[reflect.TypeOf(fact)] = fact
		},
		AllObjectFacts: func() []analysis.ObjectFact {
			var list []analysis.ObjectFact
			for _, v := range u.visibleFactUnits() {
				for k, fact := range v.objFacts {
					if factTypes[k.typ] && u.sees(v, k.obj) {
						list = append(list, analysis.ObjectFact{Object: k.obj, Fact: fact})
					}
				}
			}
			return list
		},
		AllPackageFacts: func() []analysis.PackageFact {
			var list []analysis.PackageFact
			for _, v := range u.visibleFactUnits() {
				for typ, fact := range v.pkgFacts {
					if factTypes[typ] {
						list = append(list, analysis.PackageFact{Package: v.types, Fact: fact})
					}
				}
			}
			return list
		},
		ReadFile: func(name string) ([]byte, error) {
			if !readable(p, name) {
				return nil, fmt.Errorf("Pass.ReadFile: %s is not among the files of package %s", name, p.PkgPath)
			}
			return os.ReadFile(name)
		},
	}
	res, err := a.Run(pass)
	running = false
	if err != nil {
		return nil, err
	}
	if got, want := reflect.TypeOf(res), a.ResultType; got != want {
		return nil, fmt.Errorf("internal error: on package %s, analyzer %s returned a result of type %v, but declared ResultType %v", p.PkgPath, a.Name, got, want)
	}
	return res, nil
}

// unitOf returns the unit whose types pkg is, or nil.
func (d *driver) unitOf(pkg *types.Package) *unit {
	if v, ok := d.byTypes.Load(pkg); ok {
		return v.(*unit)
	}
	return nil
}

// objectFact returns the fact of type typ for obj that the package of u can
// see, or nil. As in x/tools' checker, a package sees the facts of its own
// objects, those of a direct import on the objects an importer can reach
// (its exported functions, any method, field, type or constant, and its
// package-level variables), and, from further down, only the facts on
// methods, fields, types and constants.
func (d *driver) objectFact(u *unit, obj types.Object, typ reflect.Type) analysis.Fact {
	if obj.Pkg() == nil {
		return nil
	}
	owner := d.unitOf(obj.Pkg())
	if owner == nil {
		return nil
	}
	fact := owner.objFacts[objFactKey{obj, typ}]
	if fact == nil || owner == u || u.sees(owner, obj) {
		return fact
	}
	return nil
}

// sees reports whether a fact of owner, a package of u's graph, on obj is
// visible to u (see objectFact).
func (u *unit) sees(owner *unit, obj types.Object) bool {
	if owner == u {
		return true
	}
	if slices.Contains(u.imports, owner) {
		return exportedFrom(obj, owner.types)
	}
	return survivesReexport(obj) && u.dependsOn(owner)
}

// exportedFrom reports whether an importer of pkg can reach obj, the filter
// x/tools' checker applies to facts passed from a package to its importers.
func exportedFrom(obj types.Object, pkg *types.Package) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Exported() && obj.Pkg() == pkg || obj.Signature().Recv() != nil
	case *types.Var:
		return obj.IsField() || obj.Pkg() == pkg
	case *types.TypeName, *types.Const:
		return true
	}
	return false
}

// survivesReexport reports whether a fact on obj passes the checker's filter
// at a package that obj does not belong to.
func survivesReexport(obj types.Object) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Signature().Recv() != nil
	case *types.Var:
		return obj.IsField()
	case *types.TypeName, *types.Const:
		return true
	}
	return false
}

// dependsOn reports whether v is among u's transitive imports.
func (u *unit) dependsOn(v *unit) bool {
	u.depsOnce.Do(func() {
		u.deps = map[*unit]bool{}
		for _, w := range u.visibleFactUnits()[1:] {
			u.deps[w] = true
		}
	})
	return u.deps[v]
}

// visibleFactUnits lists u and its transitive imports.
func (u *unit) visibleFactUnits() []*unit {
	list := []*unit{u}
	seen := map[*unit]bool{u: true}
	for i := 0; i < len(list); i++ {
		for _, imp := range list[i].imports {
			if !seen[imp] {
				seen[imp] = true
				list = append(list, imp)
			}
		}
	}
	return list
}

// readable reports whether Pass.ReadFile may read name: one of the
// package's files.
func readable(p *packages.Package, name string) bool {
	for _, list := range [][]string{p.GoFiles, p.CompiledGoFiles, p.OtherFiles, p.IgnoredFiles, p.EmbedFiles} {
		if slices.Contains(list, name) {
			return true
		}
	}
	return false
}

// validateFixes checks that each edit of the fixes lies in one file of fset
// and does not end before it starts, and that no fix has overlapping edits.
func validateFixes(fset *token.FileSet, fixes []analysis.SuggestedFix) error {
	for _, fix := range fixes {
		type span struct {
			file       *token.File
			start, end int
		}
		var spans []span
		for _, e := range fix.TextEdits {
			if !e.Pos.IsValid() {
				return fmt.Errorf("fix %q: an edit has no position", fix.Message)
			}
			end := e.End
			if !end.IsValid() {
				end = e.Pos
			}
			if end < e.Pos {
				return fmt.Errorf("fix %q: an edit ends before it starts", fix.Message)
			}
			tf := fset.File(e.Pos)
			if tf == nil || int(end) > tf.Base()+tf.Size() {
				return fmt.Errorf("fix %q: an edit lies outside a file", fix.Message)
			}
			spans = append(spans, span{tf, int(e.Pos), int(end)})
		}
		for i, a := range spans {
			for _, b := range spans[i+1:] {
				if a.file == b.file && a.start < b.end && b.start < a.end {
					return fmt.Errorf("fix %q: overlapping edits", fix.Message)
				}
			}
		}
	}
	return nil
}

// errorLines are the failed analyses, once per message, dependencies first.
func (d *driver) errorLines() []string {
	var lines []string
	seen := map[string]bool{}
	for _, u := range d.units {
		for _, err := range u.errs {
			if msg := err.Error(); !seen[msg] {
				seen[msg] = true
				lines = append(lines, fmt.Sprintf("proxylint: analysing package %s: %v", u.pkg.PkgPath, err))
			}
		}
	}
	return lines
}
