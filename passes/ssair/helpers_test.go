package ssair_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/proxylint/proxylint/passes/ssair"
)

const helpersSrc = `package p

func loop(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	return s
}

func straight(a bool) int {
	if a {
		return 1
	}
	return 2
}

type G[T any] struct{}

func (G[T]) M() {}

var _ = G[int]{}.M
`

func build(t *testing.T) (*ssa.Package, *ast.File, *token.FileSet) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", helpersSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset, types.NewPackage("p", ""), []*ast.File{f}, ssa.InstantiateGenerics)
	if err != nil {
		t.Fatal(err)
	}
	return pkg, f, fset
}

func TestReaches(t *testing.T) {
	pkg, _, _ := build(t)
	loop := pkg.Func("loop")
	block := map[string]*ssa.BasicBlock{}
	for _, b := range loop.Blocks {
		block[b.Comment] = b
	}
	entry, body, done, head := block["entry"], block["for.body"], block["for.done"], block["for.loop"]
	if entry == nil || body == nil || done == nil || head == nil {
		t.Fatalf("unexpected blocks: %v", block)
	}
	for _, tc := range []struct {
		name      string
		from      []*ssa.BasicBlock
		to, avoid *ssa.BasicBlock
		want      bool
	}{
		{"a block reaches itself from itself", []*ssa.BasicBlock{entry}, entry, nil, true},
		{"the entry is on no cycle", entry.Succs, entry, nil, false},
		{"the head is on the loop's cycle", head.Succs, head, nil, true},
		{"the body reaches done", []*ssa.BasicBlock{body}, done, nil, true},
		{"not around the head", []*ssa.BasicBlock{body}, done, head, false},
		{"avoid may be the target", []*ssa.BasicBlock{body}, head, head, true},
		{"done reaches nothing", done.Succs, body, nil, false},
	} {
		if got := ssair.Reaches(tc.from, tc.to, tc.avoid); got != tc.want {
			t.Errorf("%s: Reaches = %v, want %v", tc.name, got, tc.want)
		}
	}
	straight := pkg.Func("straight")
	if ssair.Reaches(straight.Blocks[1:2], straight.Blocks[2], nil) {
		t.Error("one branch of an if reaches the other")
	}
}

func TestOriginAndFuncObject(t *testing.T) {
	pkg, _, _ := build(t)
	g := pkg.Type("G").Type()
	m, _, _ := types.LookupFieldOrMethod(g, false, pkg.Pkg, "M")
	generic := pkg.Prog.FuncValue(m.(*types.Func))
	if generic == nil || ssair.Origin(generic) != generic {
		t.Error("the origin of a generic function is not itself")
	}
	var inst *ssa.Function
	for fn := range ssautil.AllFunctions(pkg.Prog) {
		if fn.Origin() == generic {
			inst = fn
		}
	}
	if inst == nil {
		t.Fatal("no instance of G.M")
	}
	if ssair.Origin(inst) != generic || ssair.FuncObject(inst) != generic.Object() {
		t.Errorf("instance %s: origin %s, object %v", inst, ssair.Origin(inst), ssair.FuncObject(inst))
	}
	if ssair.FuncObject(nil) != nil || ssair.FuncObject(pkg.Func("loop")) != pkg.Func("loop").Object() {
		t.Error("FuncObject of nil or of a declared function")
	}
}

func TestFileOfPathAt(t *testing.T) {
	_, f, fset := build(t)
	pass := &analysis.Pass{Fset: fset, Files: []*ast.File{f}}
	var ret *ast.ReturnStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if r, ok := n.(*ast.ReturnStmt); ok && ret == nil {
			ret = r
		}
		return ret == nil
	})
	if ssair.FileOf(pass, ret.Pos()) != f || ssair.FileOf(pass, token.NoPos) != nil || ssair.FileOf(pass, f.FileEnd+1) != nil {
		t.Error("FileOf")
	}
	path := ssair.PathAt(pass, ret.Pos())
	if len(path) < 3 || path[0] != ret {
		t.Fatalf("PathAt(return) = %v", path)
	}
	if _, ok := path[len(path)-1].(*ast.File); !ok {
		t.Errorf("PathAt ends at %T, want the file", path[len(path)-1])
	}
	if ssair.PathAt(pass, token.NoPos) != nil {
		t.Error("PathAt(NoPos) is not nil")
	}
}
