package poolcleanup

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/proxylint/proxylint/passes/fixes"
	"github.com/proxylint/proxylint/passes/ssair"
)

// cleanupFix offers, after the statement `x := ...` that creates the pooled
// value, the line
//
//	runtime.AddCleanup(x, func(r T) { r.Close() }, x.field)
//
// when that is mechanical: the resource is a direct field of x, its Close
// takes nothing or a context.Context (given context.Background()), every
// name the line needs is imported in the file (runtime is added if
// missing), and the package's Go version has runtime.AddCleanup (1.24).
func (c *checker) cleanupFix(pos token.Pos, path string, rt types.Type) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	field := strings.TrimPrefix(path, ".")
	if field == "" || strings.Contains(field, ".") {
		return none, false
	}
	if v := c.pass.Pkg.GoVersion(); v != "" && version.Compare(v, "go1.24") < 0 {
		return none, false
	}
	file := ssair.FileOf(c.pass, pos)
	if file == nil {
		return none, false
	}
	nodes, _ := astutil.PathEnclosingInterval(file, pos, pos)
	var assign *ast.AssignStmt
	for _, n := range nodes {
		if a, ok := n.(*ast.AssignStmt); ok {
			assign = a
			break
		}
		if _, ok := n.(ast.Stmt); ok {
			break
		}
	}
	if assign == nil || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
		return none, false
	}
	x, ok := assign.Lhs[0].(*ast.Ident)
	if !ok || x.Name == "_" {
		return none, false
	}

	// The names this file gives the packages the line needs.
	imported := map[string]string{}
	for _, spec := range file.Imports {
		p, _ := strconv.Unquote(spec.Path.Value)
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		} else if p == "runtime" || p == "context" {
			name = p
		} else {
			for _, imp := range c.pass.Pkg.Imports() {
				if imp.Path() == p {
					name = imp.Name()
				}
			}
		}
		if name != "_" && name != "." && name != "" {
			imported[p] = name
		}
	}
	missing := false
	qual := func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		name, ok := imported[p.Path()]
		if !ok {
			missing = true
		}
		return name
	}
	typ := types.TypeString(rt, qual)

	closeM := lookupClose(rt)
	if closeM == nil {
		return none, false
	}
	arg := ""
	switch params := closeM.Signature().Params(); {
	case params.Len() == 0:
	case params.Len() == 1 && isContext(params.At(0).Type()):
		ctx, ok := imported["context"]
		if !ok {
			return none, false
		}
		arg = ctx + ".Background()"
	default:
		return none, false
	}
	if missing {
		return none, false
	}

	var edits []analysis.TextEdit
	runtimeName, ok := imported["runtime"]
	if !ok {
		e, ok := fixes.AddImport(file, "runtime")
		if !ok {
			return none, false
		}
		edits = append(edits, e)
		runtimeName = "runtime"
	}

	tf := c.pass.Fset.File(assign.Pos())
	start := tf.LineStart(c.pass.Fset.Position(assign.Pos()).Line)
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return none, false
	}
	indent := string(src[tf.Offset(start):tf.Offset(assign.Pos())])
	if strings.Trim(indent, " \t") != "" {
		return none, false
	}
	at := assign.End()
	if endLine := c.pass.Fset.Position(at).Line; endLine < tf.LineCount() {
		at = tf.LineStart(endLine+1) - 1
	}
	line := fmt.Sprintf("%s.AddCleanup(%s, func(r %s) { r.Close(%s) }, %s.%s)", runtimeName, x.Name, typ, arg, x.Name, field)
	edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte("\n" + indent + line)})
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Close %s.%s when the pool drops %s", x.Name, field, x.Name),
		TextEdits: edits,
	}, true
}

func lookupClose(t types.Type) *types.Func {
	for _, tt := range []types.Type{t, types.NewPointer(t)} {
		if _, isPtr := t.(*types.Pointer); isPtr && tt != t {
			break
		}
		if sel := types.NewMethodSet(tt).Lookup(nil, "Close"); sel != nil {
			f, _ := sel.Obj().(*types.Func)
			return f
		}
	}
	return nil
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == "Context" && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context"
}
