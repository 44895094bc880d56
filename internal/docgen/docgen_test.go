package docgen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/proxylint/proxylint/analyzers"
)

var update = flag.Bool("update", false, "rewrite the pages under docs/")

// TestPagesUpToDate fails when a page under docs/ differs from what the
// checks' doc.go files and flags generate.
func TestPagesUpToDate(t *testing.T) {
	want := map[string][]byte{filepath.Join("..", "..", "docs", "README.md"): Index(analyzers.All())}
	for _, a := range analyzers.All() {
		want[filepath.Join("..", "..", "docs", "checks", a.Name+".md")] = Page(a)
	}
	for path, content := range want {
		got, err := os.ReadFile(path)
		if *update {
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, content) {
			t.Errorf("%s is stale: run go test ./internal/docgen -update", path)
		}
	}
	// No page for a check that left the suite.
	pages, _ := filepath.Glob(filepath.Join("..", "..", "docs", "checks", "*.md"))
	for _, p := range pages {
		if _, ok := want[p]; !ok {
			t.Errorf("%s documents no check of the suite", p)
		}
	}
}

func TestIncidentsNamed(t *testing.T) {
	for _, a := range analyzers.All() {
		if Incidents[a.Name] == "" {
			t.Errorf("check %s has no incident in docgen.Incidents", a.Name)
		}
	}
}
