package analyzers_test

import (
	"bytes"
	"encoding/gob"
	"os"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/proxylint/proxylint/analyzers"
	"github.com/proxylint/proxylint/internal/e2etest"
)

// The names users and tooling key on.
var fixedNames = map[string]bool{
	"logwriter": true, "poolcleanup": true, "lostclose": true, "gaugedrift": true,
	"idletransport": true, "copypipe": true, "orphanconn": true, "deadline": true,
}

func TestSuite(t *testing.T) {
	all := analyzers.All()
	if err := analysis.Validate(all); err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if !fixedNames[a.Name] {
			t.Errorf("check %q is not one of the suite's names", a.Name)
		}
		if a.Doc == "" || a.URL == "" {
			t.Errorf("check %s lacks Doc or URL", a.Name)
		}
	}
}

// TestThroughChecker runs the whole suite the way another driver (gopls,
// golangci-lint) would: through x/tools' checker package on packages loaded
// by go/packages, with the checker's sanity checks of fact encoding on.
func TestThroughChecker(t *testing.T) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: e2etest.Testdata("crosspkg"), Tests: true}
	cfg.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze(analyzers.All(), pkgs, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	findings := 0
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
		if act.IsRoot {
			findings += len(act.Diagnostics)
		}
	}
	// Two in package app need facts of package logutil; the third is
	// logutil's own helper, which loses a writer on every call.
	if findings != 3 {
		t.Errorf("%d findings on testdata/crosspkg, want 3 (two through facts)", findings)
	}
}

// TestFactsGob checks that every fact type of every check survives gob, as
// drivers that persist facts (go vet, gopls) require.
func TestFactsGob(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		for _, f := range a.FactTypes {
			typ := reflect.TypeOf(f)
			if seen[typ] {
				continue
			}
			seen[typ] = true
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(f); err != nil {
				t.Errorf("%s fact %T does not encode: %v", a.Name, f, err)
				continue
			}
			back := reflect.New(typ.Elem()).Interface()
			if err := gob.NewDecoder(&buf).Decode(back); err != nil {
				t.Errorf("%s fact %T does not decode: %v", a.Name, f, err)
			}
		}
		for _, r := range a.Requires {
			visit(r)
		}
	}
	for _, a := range analyzers.All() {
		visit(a)
	}
	if len(seen) == 0 {
		t.Error("no fact types: the suite lost its cross-package knowledge")
	}
}
