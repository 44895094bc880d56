package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/proxylint/proxylint/analyzers"
	"github.com/proxylint/proxylint/internal/e2etest"
)

// incident is a before/after reproduction under testdata/: a module
// testdata/<dir>/ whose findings.txt names its check and the sites where
// before/ must be flagged. scripts/demo.sh reads the same files, so a new
// check's demo is a new folder, with no table to edit.
type incident struct {
	dir   string
	check string
	sites []string // where the before module must be flagged, as file:line
}

// incidents reads every testdata/*/findings.txt.
func incidents(t *testing.T) []incident {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testdata(), "*", "findings.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []incident
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inc := incident{dir: filepath.Base(filepath.Dir(f))}
		for i, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			check, site, ok := strings.Cut(line, " ")
			if !ok || (inc.check != "" && check != inc.check) {
				t.Fatalf("%s:%d: want \"check file:line\", all of one check; got %q", f, i+1, line)
			}
			inc.check = check
			inc.sites = append(inc.sites, regexp.QuoteMeta(strings.TrimSpace(site)))
		}
		if inc.check == "" {
			t.Fatalf("%s names no finding", f)
		}
		out = append(out, inc)
	}
	return out
}

// TestIncidentsCoverEveryCheck: the demo shows every check, and every
// before/after module under testdata/ is a demo of one check.
func TestIncidentsCoverEveryCheck(t *testing.T) {
	checks := map[string]bool{}
	for _, a := range analyzers.All() {
		checks[a.Name] = true
	}
	var demoed, demos []string
	for _, inc := range incidents(t) {
		if !checks[inc.check] {
			t.Errorf("testdata/%s/findings.txt names %q, which is no check", inc.dir, inc.check)
		}
		demoed = append(demoed, inc.check)
		demos = append(demos, inc.dir)
		for _, m := range []string{"before", "after"} {
			if _, err := os.Stat(testdata(inc.dir, m, "go.mod")); err != nil {
				t.Errorf("testdata/%s has no %s module: %v", inc.dir, m, err)
			}
		}
	}
	for _, a := range analyzers.All() {
		if !slices.Contains(demoed, a.Name) {
			t.Errorf("check %s has no incident module under testdata/ (a findings.txt naming it)", a.Name)
		}
	}
	dirs, err := filepath.Glob(filepath.Join(testdata(), "*", "before", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if name := filepath.Base(filepath.Dir(filepath.Dir(d))); !slices.Contains(demos, name) {
			t.Errorf("testdata/%s has a before module but no findings.txt", name)
		}
	}
}

var findingCheck = regexp.MustCompile(`\((\w+)\)$`)

// TestIncidents runs each reproduction under go vet -vettool (TestDemo runs
// them standalone): its check flags the before module where the incident
// was, no other check fires, and the after module is clean.
func TestIncidents(t *testing.T) {
	needBinary(t)
	for _, inc := range incidents(t) {
		t.Run(inc.dir, func(t *testing.T) {
			before, after := testdata(inc.dir, "before"), testdata(inc.dir, "after")
			var want []string
			for _, site := range inc.sites {
				want = append(want, `(?m)`+site+`:\d+: .* \(`+inc.check+`\)$`)
			}
			vet := []string{"vet", "-vettool=" + binary, "./..."}
			r := e2etest.Run(t, before, "go", vet...)
			r.Check(t, 1, want, nil)
			for _, line := range strings.Split(r.Stdout+r.Stderr, "\n") {
				if m := findingCheck.FindStringSubmatch(line); m != nil && m[1] != inc.check {
					t.Errorf("go vet: a %s finding on the %s reproduction: %s", m[1], inc.check, line)
				}
			}
			r = e2etest.Run(t, after, "go", vet...)
			r.Check(t, 0, nil, nil)
			if strings.TrimSpace(r.Stdout+r.Stderr) != "" {
				t.Errorf("go vet on after/: want silence, got:\n%s%s", r.Stdout, r.Stderr)
			}
		})
	}
}

// TestDemo runs scripts/demo.sh with the built binary, which runs every
// reproduction standalone and exits 1 unless each check flags every site its
// findings.txt lists, no other check speaks on it, and no check speaks on
// after/. It must show every check of the suite, in order, each with a
// finding before and silence after.
func TestDemo(t *testing.T) {
	needBinary(t)
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", "demo.sh"))
	cmd.Env = append(os.Environ(), "PROXYLINT="+binary)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo.sh: %v\n%s", err, out)
	}
	var shown []string
	for _, section := range strings.Split("\n"+string(out), "\n== ")[1:] {
		check, _, _ := strings.Cut(section, " ")
		shown = append(shown, check)
		if !regexp.MustCompile(`(?m)^  before:\n    \S+\.go:\d+:\d+: .* \(`+check+`\)$`).MatchString(section) ||
			!strings.Contains(section, "\n  after:  no findings\n") {
			t.Errorf("demo of %s does not show its finding before and silence after:\n%s", check, section)
		}
	}
	var want []string
	for _, a := range analyzers.All() {
		want = append(want, a.Name)
	}
	if !slices.Equal(shown, want) {
		t.Errorf("demo shows %v, want every check in the suite's order %v:\n%s", shown, want, out)
	}
}
