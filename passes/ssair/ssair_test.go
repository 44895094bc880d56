package ssair_test

import (
	"reflect"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/proxylint/proxylint/passes/ssair"
)

func analyzer(name string, use func(*analysis.Pass, *ssair.IR)) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:       name,
		Doc:        "test",
		Requires:   []*analysis.Analyzer{ssair.Analyzer},
		ResultType: reflect.TypeFor[*ssair.IR](),
		Run: func(pass *analysis.Pass) (any, error) {
			ir := ssair.Of(pass)
			use(pass, ir)
			return ir, nil
		},
	}
}

// A check that never asks for the IR never pays for it.
func TestLazy(t *testing.T) {
	lazy := analyzer("lazy", func(*analysis.Pass, *ssair.IR) {})
	for _, r := range analysistest.Run(t, analysistest.TestData(), lazy, "p") {
		if r.Result.(*ssair.IR).IsBuilt() {
			t.Error("the IR was built though no check asked for it")
		}
	}
}

// Two checks on one package share one IR; it lists declared functions,
// their literals and package initialisation, and handles generics.
func TestShared(t *testing.T) {
	var names []string
	a := analyzer("a", func(pass *analysis.Pass, ir *ssair.IR) {
		for _, fn := range ir.SrcFuncs() {
			names = append(names, fn.Name())
		}
	})
	b := analyzer("b", func(pass *analysis.Pass, ir *ssair.IR) { ir.Package() })
	ra := analysistest.Run(t, analysistest.TestData(), a, "p")
	rb := analysistest.Run(t, analysistest.TestData(), b, "p")
	if ra[0].Result == nil || rb[0].Result == nil {
		t.Fatal("no results")
	}
	want := []string{"F", "F$1", "G", "init#1", "init", "init$1"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("SrcFuncs = %v, want %v", names, want)
	}
}

func TestOneIRPerPackage(t *testing.T) {
	var (
		mu  sync.Mutex
		irs []*ssair.IR
	)
	record := func(_ *analysis.Pass, ir *ssair.IR) {
		ir.SrcFuncs()
		mu.Lock()
		irs = append(irs, ir)
		mu.Unlock()
	}
	a, b := analyzer("a", record), analyzer("b", record)
	c := &analysis.Analyzer{Name: "c", Doc: "test", Requires: []*analysis.Analyzer{a, b}, Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	analysistest.Run(t, analysistest.TestData(), c, "p")
	if len(irs) != 2 || irs[0] != irs[1] || irs[0].Package() != irs[1].Package() {
		t.Errorf("two checks on one package got different IRs: %v", irs)
	}
}
