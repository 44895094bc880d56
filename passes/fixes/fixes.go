// Package fixes builds the suggested fixes several checks share.
package fixes

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/passes/ssair"
)

// AddDurationField returns a fix that adds "name: seconds * time.Second" to
// the keyed composite literal lit, and the time import if its file lacks it.
// It declines (false) where the edit would not be safe: a literal with
// unkeyed elements, a time package imported as _ or ., or a name "time" that
// does not denote package time at the literal.
func AddDurationField(pass *analysis.Pass, lit *ast.CompositeLit, name string, seconds int) (analysis.SuggestedFix, bool) {
	file := ssair.FileOf(pass, lit.Pos())
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	// The name of package time in this file, and the import to add.
	timeName := "time"
	var importEdit *analysis.TextEdit
	imported := false
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		if path != "time" {
			continue
		}
		imported = true
		if spec.Name != nil {
			if spec.Name.Name == "_" || spec.Name.Name == "." {
				return analysis.SuggestedFix{}, false
			}
			timeName = spec.Name.Name
		}
	}
	// The name must denote package time where the literal is.
	scope := pass.TypesInfo.Scopes[file]
	if inner := innermostScope(pass.Pkg.Scope(), lit.Pos()); inner != nil {
		scope = inner
	}
	if scope != nil {
		if _, obj := scope.LookupParent(timeName, lit.Pos()); obj != nil {
			if pn, ok := obj.(*types.PkgName); !ok || pn.Imported().Path() != "time" {
				return analysis.SuggestedFix{}, false
			}
		} else if imported {
			return analysis.SuggestedFix{}, false
		}
	}
	if !imported {
		e, ok := addImportEdit(file, "time")
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		importEdit = &e
	}

	field := fmt.Sprintf("%s: %d * %s.Second", name, seconds, timeName)
	fset := pass.Fset
	var edit analysis.TextEdit
	switch {
	case len(lit.Elts) == 0:
		edit = analysis.TextEdit{Pos: lit.Rbrace, End: lit.Rbrace, NewText: []byte(field)}
	case fset.Position(lit.Rbrace).Line == fset.Position(lit.Elts[len(lit.Elts)-1].End()).Line:
		last := lit.Elts[len(lit.Elts)-1]
		if _, ok := last.(*ast.KeyValueExpr); !ok {
			return analysis.SuggestedFix{}, false
		}
		edit = analysis.TextEdit{Pos: last.End(), End: last.End(), NewText: []byte(", " + field)}
	default:
		last := lit.Elts[len(lit.Elts)-1]
		if _, ok := last.(*ast.KeyValueExpr); !ok {
			return analysis.SuggestedFix{}, false
		}
		// One element per line: add ours on the line after the last one,
		// indented like it. The last element is followed by a comma.
		col := fset.Position(last.Pos()).Column
		tf := fset.File(lit.Rbrace)
		lineStart := tf.LineStart(fset.Position(lit.Rbrace).Line)
		edit = analysis.TextEdit{Pos: lineStart, End: lineStart, NewText: []byte(strings.Repeat("\t", col-1) + field + ",\n")}
	}
	edits := []analysis.TextEdit{edit}
	if importEdit != nil {
		edits = append([]analysis.TextEdit{*importEdit}, edits...)
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Add %s: %d * time.Second", name, seconds),
		TextEdits: edits,
	}, true
}

func innermostScope(pkg *types.Scope, pos token.Pos) *types.Scope {
	if pkg == nil {
		return nil
	}
	return pkg.Innermost(pos)
}

// AddImport returns the edit that adds import path to file, in order
// within its first parenthesized import declaration, or as a new
// declaration after the first.
func AddImport(file *ast.File, path string) (analysis.TextEdit, bool) {
	return addImportEdit(file, path)
}

// addImportEdit adds import path to file, in order within its first
// parenthesized import declaration, or as a new declaration after the first.
func addImportEdit(file *ast.File, path string) (analysis.TextEdit, bool) {
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		if !gd.Lparen.IsValid() {
			return analysis.TextEdit{Pos: gd.End(), End: gd.End(), NewText: []byte("\nimport " + strconv.Quote(path))}, true
		}
		for _, spec := range gd.Specs {
			is := spec.(*ast.ImportSpec)
			p, _ := strconv.Unquote(is.Path.Value)
			if p > path && !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
				return analysis.TextEdit{Pos: is.Pos(), End: is.Pos(), NewText: []byte(strconv.Quote(path) + "\n\t")}, true
			}
		}
		// After the last standard library import, else first.
		var after ast.Spec
		for _, spec := range gd.Specs {
			is := spec.(*ast.ImportSpec)
			p, _ := strconv.Unquote(is.Path.Value)
			if !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
				after = spec
			}
		}
		if after == nil {
			return analysis.TextEdit{Pos: gd.Lparen + 1, End: gd.Lparen + 1, NewText: []byte("\n\t" + strconv.Quote(path))}, true
		}
		return analysis.TextEdit{Pos: after.End(), End: after.End(), NewText: []byte("\n\t" + strconv.Quote(path))}, true
	}
	return analysis.TextEdit{}, false
}
