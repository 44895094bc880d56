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
	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/internal/e2etest"
	"github.com/proxylint/proxylint/internal/suitegen"
)

// The names users and tooling key on: none of them may disappear (a
// rename breaks every //lint:ignore and configuration that names it).
var fixedNames = []string{"logwriter", "poolcleanup", "lostclose", "gaugedrift", "idletransport", "copypipe", "orphanconn", "deadline"}

func TestSuite(t *testing.T) {
	all := analyzers.All()
	if err := analysis.Validate(all); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, a := range all {
		have[a.Name] = true
		if a.Doc == "" || a.URL != checkdoc.URL(a.Name) {
			t.Errorf("check %s lacks Doc, or its URL is not its page", a.Name)
		}
	}
	for _, name := range fixedNames {
		if !have[name] {
			t.Errorf("check %q left the suite or was renamed", name)
		}
	}
	// The eight first checks keep the order the documentation has always
	// had; later ones come after them, by their Order.
	for i, name := range fixedNames {
		if i >= len(all) || all[i].Name != name {
			t.Errorf("check %d of the suite is not %s", i+1, name)
		}
	}
}

// TestSuiteGenerated fails when suite_gen.go is not what the generator
// writes for the check folders on disk: a check added, removed or
// reordered without running go generate ./analyzers.
func TestSuiteGenerated(t *testing.T) {
	want, err := suitegen.Generate(".", "github.com/proxylint/proxylint/analyzers")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(suitegen.FileName)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go generate ./analyzers\nwant:\n%s", suitegen.FileName, want)
	}
	// Every check folder is in the suite, under its own name.
	checks, err := suitegen.Scan(".")
	if err != nil {
		t.Fatal(err)
	}
	all := analyzers.All()
	if len(checks) != len(all) {
		t.Fatalf("%d check folders, %d checks in the suite", len(checks), len(all))
	}
	for i, c := range checks {
		if all[i].Name != c.Dir {
			t.Errorf("analyzers/%s holds the check named %q: a check's folder is its name", c.Dir, all[i].Name)
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
