package logwriter

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

const fixAdvice = "create it once (a package-level variable or a sync.Once) or Close it when its owner is done"

// reportSource reports a writer created and lost.
func (c *checker) reportSource(fn *ssa.Function, b lifetime.Birth, f lifetime.Fate, why string) {
	lost := "never closed"
	switch {
	case f.Held != "" && f.Lost:
		lost = fmt.Sprintf("never closed (it is kept only by %s, which cannot close it)", f.Held)
	case !f.Lost:
		lost = "not closed on every path"
		if p := f.Leaks[0].Pos(); p.IsValid() {
			lost = fmt.Sprintf("not closed when %s returns at line %d", reqscope.Name(fn), c.pass.Fset.Position(p).Line)
		}
	}
	what := "creates a pipe writer whose reader goroutine exits only when the writer is closed"
	if b.Value != nil && !isPipeWriter(b.Value.Type()) && !strings.Contains(b.Origin, "Pipe") && !strings.Contains(b.Origin, "Writer") {
		what = "creates a writer that owns a goroutine until it is closed"
	}
	call, stmt := c.enclosing(b.Instr.Pos())
	d := analysis.Diagnostic{
		Pos: b.Instr.Pos(),
		Message: fmt.Sprintf("%s %s; "+
			"this runs %s and the writer is %s, so every run leaks a goroutine: %s", b.Origin, what, why, lost, fixAdvice),
	}
	if call != nil {
		d.Pos, d.End = call.Pos(), call.End()
	}
	if f.Lost && len(f.Disposals) == 0 {
		if fix, ok := c.deferCloseFix(stmt, call); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	if f.Lost && d.SuggestedFixes == nil {
		if fix, ok := c.hoistFix(call); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.r.Report(d)
}

// hoistFix offers to create the writer once, in a package-level variable,
// when the expression that makes it (with the calls that wrap it, up to the
// value the function keeps: stdlog.New(logger.WriterLevel(level), "", 0) in
// an ErrorLog field) names nothing local to the function. It is Traefik's
// own fix for its incident.
func (c *checker) hoistFix(call *ast.CallExpr) (analysis.SuggestedFix, bool) {
	if call == nil {
		return analysis.SuggestedFix{}, false
	}
	path := ssair.PathAt(c.pass, call.Lparen)
	// path runs from the innermost node outward; find call in it.
	i := 0
	for i < len(path) && path[i] != ast.Node(call) {
		i++
	}
	if i == len(path) {
		return analysis.SuggestedFix{}, false
	}
	var expr ast.Expr = call
	for j := i + 1; j < len(path); j++ {
		outer, ok := path[j].(*ast.CallExpr)
		if !ok || !c.selfContained(outer) {
			break
		}
		expr, i = outer, j
	}
	if !c.selfContained(expr) {
		return analysis.SuggestedFix{}, false
	}
	var decl *ast.FuncDecl
	for _, n := range path[i:] {
		if fd, ok := n.(*ast.FuncDecl); ok {
			decl = fd
		}
	}
	if decl == nil {
		return analysis.SuggestedFix{}, false
	}
	// A name from what keeps the value (ErrorLog: errorLog), free in the
	// package and at the use.
	base := "logWriter"
	if i+1 < len(path) {
		if kv, ok := path[i+1].(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name != "" {
				base = strings.ToLower(id.Name[:1]) + id.Name[1:]
			}
		}
	}
	scope := c.pass.Pkg.Scope().Innermost(expr.Pos())
	if scope == nil {
		return analysis.SuggestedFix{}, false
	}
	name := base
	for n := 2; ; n++ {
		if _, obj := scope.LookupParent(name, expr.Pos()); obj == nil && token.Lookup(name) == token.IDENT {
			break
		}
		name = fmt.Sprintf("%s%d", base, n)
		if n > 9 {
			return analysis.SuggestedFix{}, false
		}
	}
	file := c.pass.Fset.File(expr.Pos())
	src, err := c.pass.ReadFile(file.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	text := src[file.Offset(expr.Pos()):file.Offset(expr.End())]
	at := decl.Pos()
	if decl.Doc != nil {
		at = decl.Doc.Pos()
	}
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Create the writer once, in the package-level variable %s", name),
		TextEdits: []analysis.TextEdit{
			{Pos: at, End: at, NewText: []byte(fmt.Sprintf("var %s = %s\n\n", name, text))},
			{Pos: expr.Pos(), End: expr.End(), NewText: []byte(name)},
		},
	}, true
}

// selfContained reports whether e names only package-level objects (of
// this package or an imported one), constants, types, fields and methods:
// nothing local to the function, so it can be evaluated once, at package
// initialisation. A function literal is not.
func (c *checker) selfContained(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			ok = false
		case *ast.SelectorExpr:
			if _, isSel := c.pass.TypesInfo.Selections[n]; isSel {
				// n.Sel is a field or a method: only the operand counts.
				ok = c.selfContained(n.X)
				return false
			}
		case *ast.Ident:
			ok = c.packageLevel(c.pass.TypesInfo.Uses[n])
		}
		return ok
	})
	return ok
}

// packageLevel reports whether obj can be named outside any function: a
// package, constant, type, builtin or nil, a field, or a function or
// variable declared at package level.
func (c *checker) packageLevel(obj types.Object) bool {
	switch obj := obj.(type) {
	case *types.PkgName, *types.Const, *types.TypeName, *types.Builtin, *types.Nil:
		return true
	case *types.Func:
		return obj.Signature().Recv() != nil || obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope()
	case *types.Var:
		return obj.IsField() || obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope()
	}
	return false
}

func isPipeWriter(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Name() == "PipeWriter" && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "io"
}

// reportCall reports a call, on a repeated path, of a function that leaks a writer.
func (c *checker) reportCall(b lifetime.Birth, why string) {
	d := analysis.Diagnostic{
		Pos: b.Instr.Pos(),
		Message: fmt.Sprintf("%s creates a pipe writer with %s and never closes it; "+
			"this runs %s, so every run leaks the writer's goroutine: %s", b.Origin, b.Via, why, fixAdvice),
	}
	if ce, _ := c.enclosing(b.Instr.Pos()); ce != nil {
		d.Pos, d.End = ce.Pos(), ce.End()
	}
	c.r.Report(d)
}

// enclosing returns the call expression at an SSA call's position (its
// opening parenthesis) and the statement holding it.
func (c *checker) enclosing(pos token.Pos) (*ast.CallExpr, ast.Stmt) {
	path := ssair.PathAt(c.pass, pos)
	var call *ast.CallExpr
	for _, n := range path {
		switch n := n.(type) {
		case *ast.CallExpr:
			if call == nil && n.Lparen == pos {
				call = n
			}
		case ast.Stmt:
			return call, n
		}
	}
	return call, nil
}

// deferCloseFix offers `defer w.Close()` after `w := <call>` when the writer
// is used only inside the function.
func (c *checker) deferCloseFix(stmt ast.Stmt, call *ast.CallExpr) (analysis.SuggestedFix, bool) {
	assign, ok := stmt.(*ast.AssignStmt)
	if !ok || call == nil || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 || ast.Unparen(assign.Rhs[0]) != call {
		return analysis.SuggestedFix{}, false
	}
	id, ok := assign.Lhs[0].(*ast.Ident)
	if !ok || id.Name == "_" {
		return analysis.SuggestedFix{}, false
	}
	file := c.pass.Fset.File(assign.Pos())
	col := c.pass.Fset.Position(assign.Pos()).Column
	src, err := c.pass.ReadFile(file.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	lineStart := file.LineStart(c.pass.Fset.Position(assign.Pos()).Line)
	indent := src[file.Offset(lineStart) : file.Offset(lineStart)+col-1]
	if len(bytes.TrimLeft(indent, " \t")) != 0 {
		return analysis.SuggestedFix{}, false
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, token.NewFileSet(), &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(id.Name), Sel: ast.NewIdent("Close")}}}); err != nil {
		return analysis.SuggestedFix{}, false
	}
	// Insert after the end of the statement's last line, past any comment.
	at := assign.End()
	if endLine := c.pass.Fset.Position(at).Line; endLine < file.LineCount() {
		at = file.LineStart(endLine+1) - 1
	}
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Close %s when the function returns", id.Name),
		TextEdits: []analysis.TextEdit{{
			Pos:     at,
			End:     at,
			NewText: []byte("\n" + string(indent) + buf.String()),
		}},
	}, true
}
