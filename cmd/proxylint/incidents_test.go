package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/proxylint/proxylint/analyzers"
	"github.com/proxylint/proxylint/internal/e2etest"
)

// incidents are the before/after reproductions under testdata/, one per
// check; scripts/demo.sh shows the same table.
var incidents = []struct {
	dir   string
	check string
	sites []string // where the before module must be flagged, as file:line
}{
	{"traefik-11423", "logwriter", []string{`service/proxy\.go:20`}},
	{"httpwasm-pool", "poolcleanup", []string{`handler/handler\.go:41`}},
	{"traefik-11119", "lostclose", []string{`plugins/plugins\.go:28`}},
	{"traefik-10905", "gaugedrift", []string{`tcp/tracker\.go:31`, `tcp/tracker\.go:22`}},
	{"rancher-49592", "idletransport", []string{`proxy/proxy\.go:23`}},
	{"remotedialer-pipe", "copypipe", []string{`tunnel/pipe\.go:18`}},
	{"remotedialer-orphan", "orphanconn", []string{`tunnel/dial\.go:20`}},
	{"haproxy-deadline", "deadline", []string{`relay/relay\.go:39`, `relay/relay\.go:45`}},
}

// TestIncidentsCoverEveryCheck: the demo shows every check, and every
// before/after module under testdata/ is in the table.
func TestIncidentsCoverEveryCheck(t *testing.T) {
	var checks, tabled []string
	for _, inc := range incidents {
		checks = append(checks, inc.check)
		tabled = append(tabled, inc.dir)
	}
	for _, a := range analyzers.All() {
		if !slices.Contains(checks, a.Name) {
			t.Errorf("check %s has no incident module under testdata/", a.Name)
		}
	}
	dirs, err := filepath.Glob(filepath.Join(testdata(), "*", "before", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		name := filepath.Base(filepath.Dir(filepath.Dir(d)))
		if !slices.Contains(tabled, name) {
			t.Errorf("testdata/%s is missing from the incidents table", name)
		}
		if _, err := os.Stat(filepath.Join(testdata(), name, "after", "go.mod")); err != nil {
			t.Errorf("testdata/%s has no after module: %v", name, err)
		}
	}
}

var findingCheck = regexp.MustCompile(`\((\w+)\)$`)

// TestIncidents runs each reproduction through the real binary, standalone
// and as go vet's -vettool: its check flags the before module where the
// incident was, no other check fires, and the after module is clean.
func TestIncidents(t *testing.T) {
	needBinary(t)
	for _, inc := range incidents {
		t.Run(inc.dir, func(t *testing.T) {
			before, after := testdata(inc.dir, "before"), testdata(inc.dir, "after")
			var want []string
			for _, site := range inc.sites {
				want = append(want, `(?m)`+site+`:\d+: .* \(`+inc.check+`\)$`)
			}
			for _, mode := range []struct {
				name     string
				cmd      []string
				findings int
			}{
				{"standalone", []string{binary, "./..."}, 3},
				{"go vet", []string{"go", "vet", "-vettool=" + binary, "./..."}, 1},
			} {
				r := e2etest.Run(t, before, mode.cmd[0], mode.cmd[1:]...)
				r.Check(t, mode.findings, want, nil)
				for _, line := range strings.Split(r.Stdout+r.Stderr, "\n") {
					if m := findingCheck.FindStringSubmatch(line); m != nil && m[1] != inc.check {
						t.Errorf("%s: a %s finding on the %s reproduction: %s", mode.name, m[1], inc.check, line)
					}
				}
				r = e2etest.Run(t, after, mode.cmd[0], mode.cmd[1:]...)
				r.Check(t, 0, nil, nil)
				if strings.TrimSpace(r.Stdout+r.Stderr) != "" {
					t.Errorf("%s on after/: want silence, got:\n%s%s", mode.name, r.Stdout, r.Stderr)
				}
			}
		})
	}
}
