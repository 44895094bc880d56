package docgen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/analyzers"
	"github.com/proxylint/proxylint/internal/checkdoc"
)

var update = flag.Bool("update", false, "rewrite the pages under docs/ and the README's table of checks")

// TestPagesUpToDate fails when a page under docs/, or the README's table of
// checks, differs from what the checks' doc.go files and flags generate.
func TestPagesUpToDate(t *testing.T) {
	root := filepath.Join("..", "..")
	readmePath := filepath.Join(root, "README.md")
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	table, err := README(readme, analyzers.All())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{
		filepath.Join(root, "docs", "README.md"): Index(analyzers.All()),
		readmePath:                               table,
	}
	for _, a := range analyzers.All() {
		want[filepath.Join(root, "docs", "checks", a.Name+".md")] = Page(a)
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
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "checks", "*.md"))
	for _, p := range pages {
		if _, ok := want[p]; !ok {
			t.Errorf("%s documents no check of the suite", p)
		}
	}
}

// TestGeneratedFromDoc: the index and the README table take a check's
// summary and incident from its Doc, so a check no list names shows up.
func TestGeneratedFromDoc(t *testing.T) {
	ninth := &analysis.Analyzer{Name: "ninth", Doc: "report ninth things\n\nIncident: Acme 1.0, acme/acme#9.\n\nMore."}
	all := append(analyzers.All(), ninth)
	if got := string(Index(all)); !strings.Contains(got, "| [`ninth`](checks/ninth.md) | report ninth things | Acme 1.0, acme/acme#9 |\n") {
		t.Errorf("index lacks the ninth check:\n%s", got)
	}
	readme := []byte("# x\n\n" + tableStart + "\nold table\n" + tableEnd + "\n\nafter\n")
	got, err := README(readme, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# x\n\n" + tableStart + "\n| check | catches | incident |\n", "| [`ninth`](docs/checks/ninth.md) | ninth things | Acme 1.0, acme/acme#9 |\n" + tableEnd + "\n\nafter\n"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("README lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "old table") {
		t.Errorf("README keeps the old table:\n%s", got)
	}
	if _, err := README([]byte("# no table\n"), all); err == nil {
		t.Error("README without the table's markers: no error")
	}
	page := string(Page(ninth))
	if !strings.Contains(page, "# ninth\n\nReport ninth things.\n\nIncident: Acme 1.0, acme/acme#9.\n") {
		t.Errorf("page of the ninth check:\n%s", page)
	}
}

func TestIncidentsNamed(t *testing.T) {
	for _, a := range analyzers.All() {
		if checkdoc.Incident(a.Doc) == "" {
			t.Errorf("check %s has no Incident: line after its summary", a.Name)
		}
	}
}
