package typeis

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

func TestPredicates(t *testing.T) {
	const src = `package p

import "net/http"

type Alias = http.Server
type Own struct{}
type G[T any] struct{}

var (
	srv   http.Server
	ptr   *http.Server
	alias Alias
	aptr  *Alias
	own   Own
	pp    **http.Server
	g     G[int]
)
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	typ := func(name string) types.Type { return pkg.Scope().Lookup(name).Type() }
	for _, tc := range []struct {
		v                         string
		named, orPointer, pointer bool
	}{
		{"srv", true, true, false},
		{"ptr", false, true, true},
		{"alias", true, true, false},
		{"aptr", false, true, true},
		{"own", false, false, false},
		{"pp", false, false, false},
	} {
		T := typ(tc.v)
		if got := Named(T, "net/http", "Server"); got != tc.named {
			t.Errorf("Named(%s) = %v", tc.v, got)
		}
		if got := NamedOrPointer(T, "net/http", "Server"); got != tc.orPointer {
			t.Errorf("NamedOrPointer(%s) = %v", tc.v, got)
		}
		if got := Pointer(T, "net/http", "Server"); got != tc.pointer {
			t.Errorf("Pointer(%s) = %v", tc.v, got)
		}
	}
	if !Named(typ("g"), "p", "G") || Named(typ("own"), "q", "Own") {
		t.Error("a generic instance or another package's path")
	}
}
