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

func (c *checker) reportUpdate(u *update, fn *ssa.Function, why []string, muts []mutation, fixMove bool) {
	text, pos, end := c.describe(u)
	// The collection and lock the update should follow.
	var m mutation
	for _, x := range muts {
		if x.locked && (m.instr == nil || x.insert == (u.delta > 0)) {
			m = x
		}
	}
	var fix string
	switch {
	case m.instr != nil && u.delta < 0:
		fix = fmt.Sprintf("decrement only when the entry was present (check it under %s before the delete), or derive the gauge from the state: %s.Set(float64(len(%s))) while holding %s",
			m.lock.Field(), u.metric.Field(), m.collection.Field(), m.lock.Field())
	case m.instr != nil:
		fix = fmt.Sprintf("move the update under %s and make it depend on the change, or derive the gauge from the state: %s.Set(float64(len(%s))) while holding %s",
			m.lock.Field(), u.metric.Field(), m.collection.Field(), m.lock.Field())
	default:
		fix = "make Close idempotent (a sync.Once, or a closed flag set under the lock or with CompareAndSwap) and decrement only on the first call"
	}
	d := analysis.Diagnostic{
		Pos:     pos,
		End:     end,
		Message: fmt.Sprintf("gauge %s in %s drifts from what it counts: %s; %s", text, fn.Name(), strings.Join(why, "; and "), fix),
	}
	if fixMove && m.instr != nil {
		if sf, ok := c.moveUnderLock(u, m.lock); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{sf}
		}
	}
	c.r.Report(d)
}

// moveUnderLock offers to move the statement holding the update u (or the
// nil check wrapping it) to just before the unlock of mu that immediately
// precedes it.
func (c *checker) moveUnderLock(u *update, mu locks.Ref) (analysis.SuggestedFix, bool) {
	call := c.callExpr(u.instr)
	if call == nil || u.deferred() {
		return analysis.SuggestedFix{}, false
	}
	var file *ast.File
	for _, f := range c.pass.Files {
		if f.FileStart <= call.Pos() && call.Pos() < f.FileEnd {
			file = f
		}
	}
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

// checkReturns reports increments that a return path leaves standing, when
// the gauge is only ever decremented in the same function.
func (c *checker) checkReturns(fn *ssa.Function, us []*update) {
	fam := family(fn)
	for _, u := range us {
		if u.delta <= 0 || u.deferred() || u.value {
			continue
		}
		if _, isGo := u.instr.(*ssa.Go); isGo {
			continue
		}
		// Every decrement of the metric must lie in this function (or its
		// literals), else the increment is meant to outlive the call.
		decFns := map[*ssa.Function]bool{}
		owned := true
		for _, v := range c.updates {
			if v.metric.ID != u.metric.ID || v.delta >= 0 {
				continue
			}
			if family(v.instr.Parent()) != fam {
				owned = false
				break
			}
			decFns[v.instr.Parent()] = true
		}
		if !owned || len(decFns) == 0 {
			continue
		}
		covers := func(instr ssa.Instruction) bool {
			if v := c.cl.updateOf(instr); v != nil && v.metric.ID == u.metric.ID && v.delta < 0 {
				return true
			}
			var ops []*ssa.Value
			for _, op := range instr.Operands(ops) {
				if f, ok := (*op).(*ssa.Function); ok && containsDec(f, decFns) {
					return true
				}
			}
			return false
		}
		// The function must itself take part in the decrement.
		anyCover := false
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				anyCover = anyCover || covers(instr)
			}
		}
		if !anyCover {
			continue
		}
		if ret := uncoveredReturn(u.instr, covers); ret != nil {
			text, pos, end := c.describe(u)
			c.r.Report(analysis.Diagnostic{
				Pos: pos,
				End: end,
				Message: fmt.Sprintf("gauge %s in %s is not undone when %s returns at line %d: %s is only decremented in %s, so each such return leaves the gauge one too high for good; decrement with defer right after the increment",
					text, fn.Name(), fn.Name(), c.line(ret.Pos()), u.metric.Field(), fam.Name()),
			})
		}
	}
}

// containsDec reports whether f or a function literal inside it decrements.
func containsDec(f *ssa.Function, decFns map[*ssa.Function]bool) bool {
	if decFns[f] {
		return true
	}
	for _, a := range f.AnonFuncs {
		if containsDec(a, decFns) {
			return true
		}
	}
	return false
}

// uncoveredReturn returns a return reachable from start without passing an
// instruction that covers it.
func uncoveredReturn(start ssa.Instruction, covers func(ssa.Instruction) bool) *ssa.Return {
	seen := map[*ssa.BasicBlock]bool{}
	var walk func(b *ssa.BasicBlock, from int) *ssa.Return
	walk = func(b *ssa.BasicBlock, from int) *ssa.Return {
		for _, instr := range b.Instrs[from:] {
			if covers(instr) {
				return nil
			}
			if ret, ok := instr.(*ssa.Return); ok {
				return ret
			}
		}
		for _, s := range b.Succs {
			if seen[s] {
				continue
			}
			seen[s] = true
			if ret := walk(s, 0); ret != nil {
				return ret
			}
		}
		return nil
	}
	b := start.Block()
	for i, instr := range b.Instrs {
		if instr == start {
			return walk(b, i+1)
		}
	}
	return nil
}
