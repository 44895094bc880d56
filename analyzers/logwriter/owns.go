package logwriter

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"
)

// exportOwnsParam finds, from syntax alone, the functions of the package
// that close their writer-typed parameters or keep them for an owner, and
// exports an ownsParam fact for each. It runs on every package, so it looks
// only at functions that take something a pipe writer could be passed as.
func (c *checker) exportOwnsParam() {
	pass := c.pass
	var decls []*ast.FuncDecl
	for _, file := range pass.Files {
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && c.writerParams(fd) != nil {
				decls = append(decls, fd)
			}
		}
	}
	if len(decls) == 0 {
		return
	}
	byObj := map[*types.Func]*ast.FuncDecl{}
	for _, fd := range decls {
		if obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
			byObj[obj] = fd
		}
	}
	// Iterate to a fixed point so that helpers calling helpers are found
	// whatever their order in the source.
	for changed := true; changed; {
		changed = false
		for obj, fd := range byObj {
			owned := c.ownedParams(fd)
			if len(owned) > len(c.owns[obj]) {
				c.owns[obj] = owned
				changed = true
			}
		}
	}
	for obj, params := range c.owns {
		if len(params) > 0 {
			pass.ExportObjectFact(obj, &ownsParam{Params: params})
		}
	}
}

// writerParams maps the parameters of fd a pipe writer could be passed as
// to their index.
func (c *checker) writerParams(fd *ast.FuncDecl) map[*types.Var]int {
	var m map[*types.Var]int
	i := 0
	for _, field := range fd.Type.Params.List {
		names := field.Names
		if len(names) == 0 {
			i++
			continue
		}
		for _, name := range names {
			if v, ok := c.pass.TypesInfo.Defs[name].(*types.Var); ok && canHoldPipeWriter(v.Type()) {
				if m == nil {
					m = map[*types.Var]int{}
				}
				m[v] = i
			}
			i++
		}
	}
	return m
}

// canHoldPipeWriter reports whether a *io.PipeWriter can be passed as a t:
// the pointer itself, or a non-empty interface it implements.
func canHoldPipeWriter(t types.Type) bool {
	if isPipeWriter(t) {
		return true
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 {
		return false
	}
	for m := range iface.Methods() {
		switch m.Name() {
		case "Write", "Close", "CloseWithError":
		default:
			return false
		}
	}
	return true
}

// ownedParams returns the indices of fd's writer parameters that it closes,
// stores, sends, or passes to a function that owns them.
func (c *checker) ownedParams(fd *ast.FuncDecl) []int {
	params := c.writerParams(fd)
	info := c.pass.TypesInfo
	paramOf := func(e ast.Expr) (int, bool) {
		e = ast.Unparen(e)
		if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
			if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
				e = ast.Unparen(call.Args[0]) // a conversion
			}
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return 0, false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok {
			return 0, false
		}
		i, ok := params[v]
		return i, ok
	}
	var owned []int
	own := func(i int) {
		if !slices.Contains(owned, i) {
			owned = append(owned, i)
		}
	}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && isCloseName(sel.Sel.Name) {
				if i, ok := paramOf(sel.X); ok {
					own(i)
				}
			}
			callee, _ := typeutil.Callee(info, n).(*types.Func)
			for j, arg := range n.Args {
				i, ok := paramOf(arg)
				if !ok {
					continue
				}
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "append" && info.Uses[id] == types.Universe.Lookup("append") {
					if c.isOwner(n.Args[0]) {
						own(i)
					}
				} else if callee != nil && c.ownsArg(callee, j) {
					own(i)
				}
			}
		case *ast.AssignStmt:
			for j, rhs := range n.Rhs {
				if i, ok := paramOf(rhs); ok && j < len(n.Lhs) && c.isOwner(n.Lhs[j]) {
					own(i)
				}
			}
		case *ast.SendStmt:
			if i, ok := paramOf(n.Value); ok {
				own(i)
			}
		case *ast.CompositeLit:
			if tv, ok := info.Types[n]; !ok || !hasCloser(tv.Type) {
				return true
			}
			for _, elt := range n.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					elt = kv.Value
				}
				if i, ok := paramOf(elt); ok {
					own(i)
				}
			}
		}
		return true
	})
	slices.Sort(owned)
	return owned
}

// isOwner reports whether storing a writer into the location e hands it to
// an owner: a package-level variable (kept for the life of the process) or
// a field or element of something that can be closed. A logger that merely
// keeps the writer, like log.Logger, is no owner: nobody can close it.
func (c *checker) isOwner(e ast.Expr) bool {
	info := c.pass.TypesInfo
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.Uses[x].(*types.Var)
			return ok && v.Parent() == v.Pkg().Scope()
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[x]; ok {
				if hasCloser(sel.Recv()) {
					return true
				}
				e = x.X
				continue
			}
			// A qualified identifier: pkg.Var.
			v, ok := info.Uses[x.Sel].(*types.Var)
			return ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
	}
}

// ownsArg reports whether the declared function fn owns its i-th argument.
func (c *checker) ownsArg(fn *types.Func, i int) bool {
	if fn.Pkg() == c.pass.Pkg {
		return slices.Contains(c.owns[fn], i)
	}
	var f ownsParam
	return c.pass.ImportObjectFact(fn, &f) && slices.Contains(f.Params, i)
}

// calleeOwns is ownsArg for an SSA callee; argument i counts the receiver
// of a static method call as argument 0, as SSA does.
func (c *checker) calleeOwns(callee *ssa.Function, i int) bool {
	obj := funcObj(callee)
	if obj == nil {
		return false
	}
	if obj.Signature().Recv() != nil {
		i--
	}
	return i >= 0 && c.ownsArg(obj, i)
}
