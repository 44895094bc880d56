package ssair

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"
)

// Reaches reports whether a path from one of the blocks from (the blocks
// themselves included) arrives at to without passing through avoid (nil:
// no block is avoided; to itself may be avoid). For "a path of at least
// one edge from b", pass b.Succs.
func Reaches(from []*ssa.BasicBlock, to, avoid *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	if avoid != nil {
		seen[avoid] = true
	}
	stack := append([]*ssa.BasicBlock(nil), from...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == to {
			return true
		}
		if seen[b] {
			continue
		}
		seen[b] = true
		stack = append(stack, b.Succs...)
	}
	return false
}

// Origin is the generic function an instance was made from, or fn itself.
func Origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// FuncObject is the declared function or method of an SSA function (for a
// generic instance, of its origin), or nil: nil for nil, a closure or a
// wrapper with no object.
func FuncObject(fn *ssa.Function) *types.Func {
	if fn == nil {
		return nil
	}
	obj, _ := Origin(fn).Object().(*types.Func)
	return obj
}

// FileOf is the file of the package under analysis that holds pos, or nil.
func FileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	if !pos.IsValid() {
		return nil
	}
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// PathAt is the syntax enclosing pos (as astutil.PathEnclosingInterval
// returns it, innermost first) in the package under analysis: how an SSA
// instruction's position finds its expression and statement. It is nil
// when no file of the package holds pos.
func PathAt(pass *analysis.Pass, pos token.Pos) []ast.Node {
	f := FileOf(pass, pos)
	if f == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(f, pos, pos)
	return path
}

// FieldOf returns the struct field that fa addresses, or nil.
func FieldOf(fa *ssa.FieldAddr) *types.Var {
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}
