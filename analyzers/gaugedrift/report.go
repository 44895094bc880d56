package gaugedrift

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/locks"
	"github.com/proxylint/proxylint/passes/ssair"
)

// callExpr returns the call expression of a call, defer or go instruction.
func (c *checker) callExpr(instr ssa.Instruction) *ast.CallExpr {
	if c.callAt == nil {
		c.callAt = map[token.Pos]*ast.CallExpr{}
		for _, f := range c.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					c.callAt[n.Lparen] = n
				case *ast.DeferStmt:
					c.callAt[n.Defer] = n.Call
				case *ast.GoStmt:
					c.callAt[n.Go] = n.Call
				}
				return true
			})
		}
	}
	return c.callAt[instr.Pos()]
}

func (c *checker) describe(u *update) (string, token.Pos, token.Pos) {
	if call := c.callExpr(u.instr); call != nil {
		return types.ExprString(call), call.Pos(), call.End()
	}
	return u.metric.Field() + "." + u.method, u.instr.Pos(), token.NoPos
}

// describeCall renders the call of a call instruction as written.
func (c *checker) describeCall(instr ssa.Instruction) (string, token.Pos, token.Pos) {
	if call := c.callExpr(instr); call != nil {
		return types.ExprString(call), call.Pos(), call.End()
	}
	return "the call", instr.Pos(), token.NoPos
}

func (c *checker) reportUpdate(u *update, fn *ssa.Function, why []string, muts []locks.Change, fixMove bool) {
	text, pos, end := c.describe(u)
	// The collection and lock the update should follow.
	var m locks.Change
	for _, x := range muts {
		if x.Locked && (m.Instr == nil || x.Insert == (u.delta > 0)) {
			m = x
		}
	}
	var fix string
	switch {
	case m.Instr != nil && u.delta < 0:
		fix = fmt.Sprintf("decrement only when the entry was present (check it under %s before the delete), or derive the gauge from the state: %s.Set(float64(len(%s))) while holding %s",
			m.Lock.Field(), u.metric.Field(), m.Collection.Field(), m.Lock.Field())
	case m.Instr != nil:
		fix = fmt.Sprintf("move the update under %s and make it depend on the change, or derive the gauge from the state: %s.Set(float64(len(%s))) while holding %s",
			m.Lock.Field(), u.metric.Field(), m.Collection.Field(), m.Lock.Field())
	default:
		fix = "make Close idempotent (a sync.Once, or a closed flag set under the lock or with CompareAndSwap) and decrement only on the first call"
	}
	d := analysis.Diagnostic{
		Pos:     pos,
		End:     end,
		Message: fmt.Sprintf("%s %s in %s drifts from what it counts: %s; %s", u.class.noun(), text, fn.Name(), strings.Join(why, "; and "), fix),
	}
	switch {
	case fixMove && m.Instr != nil:
		if sf, ok := c.moveUnderLock(u, m.Lock); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{sf}
		}
	case m.Instr == nil:
		d.SuggestedFixes = c.onceFix(u.instr, fn)
	}
	c.report(d)
}

// moveUnderLock offers to move the statement holding the update u (or the
// nil check wrapping it) to just before the unlock of mu that immediately
// precedes it.
func (c *checker) moveUnderLock(u *update, mu locks.Ref) (analysis.SuggestedFix, bool) {
	call := c.callExpr(u.instr)
	if call == nil || u.deferred() {
		return analysis.SuggestedFix{}, false
	}
	file := ssair.FileOf(c.pass, call.Pos())
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	path, _ := astutil.PathEnclosingInterval(file, call.Pos(), call.End())
	// path[0] is the call; find the statement, climbing out of an if whose
	// body is just this statement (the instrument's nil check).
	var stmt ast.Stmt
	var block *ast.BlockStmt
	for i := 1; i < len(path); i++ {
		if s, ok := path[i].(*ast.ExprStmt); ok && stmt == nil {
			stmt = s
			continue
		}
		if stmt == nil {
			return analysis.SuggestedFix{}, false
		}
		b, ok := path[i].(*ast.BlockStmt)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		if ifs, ok := path[i+1].(*ast.IfStmt); ok && len(b.List) == 1 && ifs.Else == nil && ifs.Init == nil && i+2 < len(path) {
			if outer, ok := path[i+2].(*ast.BlockStmt); ok {
				stmt, block = ifs, outer
				break
			}
		}
		block = b
		break
	}
	if block == nil {
		return analysis.SuggestedFix{}, false
	}
	idx := -1
	for i, s := range block.List {
		if s == stmt {
			idx = i
		}
	}
	if idx < 1 || !isUnlockOf(c.lk.Func(u.instr.Parent()), block.List[idx-1], mu) {
		return analysis.SuggestedFix{}, false
	}
	unlock := block.List[idx-1]
	tf := c.pass.Fset.File(stmt.Pos())
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	off := func(p token.Pos) int { return tf.Offset(p) }
	lineStart := bytes.LastIndexByte(src[:off(unlock.Pos())], '\n') + 1
	indent := string(src[lineStart:off(unlock.Pos())])
	// A trailing comment on the statement's last line moves with it.
	end := off(stmt.End())
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 && strings.HasPrefix(strings.TrimSpace(string(src[end:end+nl])), "//") {
		end += nl
	}
	moved := string(src[off(stmt.Pos()):end])
	return analysis.SuggestedFix{
		Message: "Move the gauge update under " + mu.Field(),
		TextEdits: []analysis.TextEdit{
			{Pos: unlock.Pos(), End: unlock.Pos(), NewText: []byte(moved + "\n" + indent)},
			{Pos: unlock.End(), End: tf.Pos(end)},
		},
	}, true
}

// isUnlockOf reports whether s is a call unlocking mu.
func isUnlockOf(fs *locks.FuncState, s ast.Stmt, mu locks.Ref) bool {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	for instr, ops := range fs.Ops {
		if instr.Pos() != call.Lparen {
			continue
		}
		for _, op := range ops {
			if op.Mutex.ID == mu.ID && (op.Op == locks.Release || op.Op == locks.RRelease) {
				return true
			}
		}
	}
	return false
}

// stmtOf returns the statement holding call, climbing out of an if whose
// body is just that statement and that has no else (a nil check of the
// instrument or callback), and the block holding it.
func (c *checker) stmtOf(call *ast.CallExpr) (ast.Stmt, *ast.BlockStmt, *ast.File) {
	file := ssair.FileOf(c.pass, call.Pos())
	if file == nil {
		return nil, nil, nil
	}
	path, _ := astutil.PathEnclosingInterval(file, call.Pos(), call.End())
	var stmt ast.Stmt
	for i := 1; i < len(path); i++ {
		if s, ok := path[i].(*ast.ExprStmt); ok && stmt == nil {
			stmt = s
			continue
		}
		if stmt == nil {
			return nil, nil, nil
		}
		b, ok := path[i].(*ast.BlockStmt)
		if !ok {
			return nil, nil, nil
		}
		if i+2 < len(path) {
			if ifs, ok := path[i+1].(*ast.IfStmt); ok && len(b.List) == 1 && ifs.Else == nil && ifs.Init == nil {
				if outer, ok := path[i+2].(*ast.BlockStmt); ok {
					return ifs, outer, file
				}
			}
		}
		return stmt, b, file
	}
	return nil, nil, nil
}

// onceFix offers, for a decrement (or a callback call) at instr in a
// release method, to run the statement holding it through a sync.Once
// added to the receiver's struct.
func (c *checker) onceFix(instr ssa.Instruction, fn *ssa.Function) []analysis.SuggestedFix {
	call := c.callExpr(instr)
	if call == nil || len(fn.Params) == 0 || fn.Parent() != nil || instr.Parent() != fn || !releaseNames[fn.Name()] {
		return nil
	}
	recv := fn.Params[0].Name()
	t := recvNamed(fn)
	if t == nil || recv == "" || recv == "_" || t.Obj().Pkg() != c.pass.Pkg {
		return nil
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	const field = "closeOnce"
	for i := range st.NumFields() {
		if st.Field(i).Name() == field {
			return nil
		}
	}
	stmt, _, file := c.stmtOf(call)
	if stmt == nil {
		return nil
	}
	// The struct's declaration, in this package's files.
	var decl *ast.StructType
	var declFile *ast.File
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Pos() == t.Obj().Pos() {
				if s, ok := ts.Type.(*ast.StructType); ok {
					decl, declFile = s, f
				}
				return false
			}
			return decl == nil
		})
	}
	if decl == nil || decl.Fields == nil {
		return nil
	}
	edits := []analysis.TextEdit{{Pos: decl.Fields.Closing, End: decl.Fields.Closing, NewText: []byte("\t" + field + " sync.Once\n")}}
	if imp, ok := importSync(declFile); ok {
		edits = append(edits, imp...)
	} else {
		return nil
	}
	tf := c.pass.Fset.File(stmt.Pos())
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	body := string(src[tf.Offset(stmt.Pos()):tf.Offset(stmt.End())])
	edits = append(edits, analysis.TextEdit{Pos: stmt.Pos(), End: stmt.End(), NewText: []byte(recv + "." + field + ".Do(func() {\n" + body + "\n})")})
	_ = file
	return []analysis.SuggestedFix{{
		Message:   "Run it once per " + t.Obj().Name() + " through a sync.Once",
		TextEdits: edits,
	}}
}

// importSync returns the edit that imports "sync" into f, none when it
// already does; ok is false when f has no import block to add it to.
func importSync(f *ast.File) ([]analysis.TextEdit, bool) {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"sync"` {
			return nil, true
		}
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT || !gd.Lparen.IsValid() {
			continue
		}
		return []analysis.TextEdit{{Pos: gd.Rparen, End: gd.Rparen, NewText: []byte("\t\"sync\"\n")}}, true
	}
	return nil, false
}

// moveAfterFix offers to move the increment at inc to just after the if
// statement holding the return ret, the failure check of the step.
func (c *checker) moveAfterFix(inc ssa.Instruction, ret *ssa.Return) []analysis.SuggestedFix {
	call := c.callExpr(inc)
	if call == nil || !ret.Pos().IsValid() {
		return nil
	}
	stmt, block, _ := c.stmtOf(call)
	if stmt == nil {
		return nil
	}
	idx := -1
	for i, s := range block.List {
		if s == stmt {
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	var check ast.Stmt
	for _, s := range block.List[idx+1:] {
		if s.Pos() <= ret.Pos() && ret.Pos() < s.End() {
			if _, ok := s.(*ast.IfStmt); ok {
				check = s
			}
			break
		}
	}
	if check == nil {
		return nil
	}
	tf := c.pass.Fset.File(stmt.Pos())
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	off := func(p token.Pos) int { return tf.Offset(p) }
	lineStart := bytes.LastIndexByte(src[:off(stmt.Pos())], '\n') + 1
	indent := string(src[lineStart:off(stmt.Pos())])
	end := off(stmt.End())
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 && strings.HasPrefix(strings.TrimSpace(string(src[end:end+nl])), "//") {
		end += nl
	}
	moved := string(src[off(stmt.Pos()):end])
	// Delete the statement with its line.
	delEnd := end
	if delEnd < len(src) && src[delEnd] == '\n' {
		delEnd++
	}
	return []analysis.SuggestedFix{{
		Message: "Increment after the step succeeds",
		TextEdits: []analysis.TextEdit{
			{Pos: tf.Pos(lineStart), End: tf.Pos(delEnd)},
			{Pos: check.End(), End: check.End(), NewText: []byte("\n" + indent + moved)},
		},
	}}
}
