package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/proxylint/proxylint/internal/e2etest"
)

var testdata = e2etest.Testdata

// These tests build the real binary and run it the ways users do:
// standalone, as go vet's -vettool and as go fix's -fixtool, on the
// end-to-end modules under testdata/.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "proxylint-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "proxylint")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building proxylint: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const traefikFinding = `service/proxy\.go:20:\d+: log\.Logger\.WriterLevel creates a pipe writer .* every time buildProxy builds a handler .* \(logwriter\)`

func TestStandalone(t *testing.T) {
	before, after := testdata("traefik-11423", "before"), testdata("traefik-11423", "after")
	for _, tc := range []struct {
		name    string
		dir     string
		args    []string
		code    int
		want    []string
		notWant []string
	}{
		{"before", before, []string{"./..."}, 3, []string{traefikFinding}, []string{"proxy_test.go"}},
		{"after", after, []string{"./..."}, 0, nil, []string{"logwriter"}},
		{"only logwriter", before, []string{"-logwriter", "./..."}, 3, []string{traefikFinding}, nil},
		{"logwriter off", before, []string{"-logwriter=false", "./..."}, 0, nil, []string{"logwriter"}},
		{"check flag", before, []string{"-logwriter.tests", "./..."}, 3, []string{traefikFinding, `proxy_test\.go:13:\d+: .*on every iteration of a loop`}, nil},
		{"context", before, []string{"-c", "0", "./service"}, 3, []string{`\n20\t\t+ErrorLog: +stdlog\.New`}, nil},
		{"no packages", before, []string{"./nothing/..."}, 1, []string{`package \./nothing/\.\.\. does not load: .*no such file or directory`}, nil},
		{"bad input", testdata("badinput"), []string{"./..."}, 1, []string{
			`package example\.com/badinput/broken does not load: .*broken\.go:6:9: undefined: undefinedThing \(and 1 more errors\)`,
			`leaky/leaky\.go:12:\d+: .*never closed`,
		}, []string{`panic`, `gen/gen\.go`, `internal error`, `failed prerequisites`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e2etest.Run(t, tc.dir, binary, tc.args...).Check(t, tc.code, tc.want, tc.notWant)
		})
	}
}

func TestStandaloneJSON(t *testing.T) {
	r := e2etest.Run(t, testdata("traefik-11423", "before"), binary, "-json", "./...")
	if r.Code != 0 {
		t.Fatalf("-json exit code %d, want 0: %s", r.Code, r.Stderr)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Stdout), &tree); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, r.Stdout)
	}
	var diags []struct {
		Posn, Message string
	}
	if err := json.Unmarshal(tree["example.com/traefik11423/service"]["logwriter"], &diags); err != nil {
		t.Fatalf("no logwriter diagnostics for the service package: %v\n%s", err, r.Stdout)
	}
	if len(diags) != 1 || !strings.HasSuffix(diags[0].Posn, filepath.Join("service", "proxy.go")+":20:29") {
		t.Errorf("diagnostics = %+v, want one at service/proxy.go:20:29", diags)
	}
}

func TestHelp(t *testing.T) {
	e2etest.Run(t, ".", binary, "help").Check(t, 0, []string{`logwriter +report pipe-backed log writers`}, nil)
	e2etest.Run(t, ".", binary, "help", "logwriter").Check(t, 0, []string{
		`logwriter: report pipe-backed log writers`, `-logwriter\.tests`, `traefik/traefik#11423`,
	}, nil)
}

func TestVet(t *testing.T) {
	before, after := testdata("traefik-11423", "before"), testdata("traefik-11423", "after")
	vettool := "-vettool=" + binary
	// go vet exits 1 when a tool reports findings. The finding needs the
	// interface in package log: facts cross packages as vet schedules them.
	e2etest.Run(t, before, "go", "vet", vettool, "./...").Check(t, 1, []string{`service/proxy\.go:20:\d+: log\.Logger\.WriterLevel creates a pipe writer`}, []string{"proxy_test.go"})
	e2etest.Run(t, after, "go", "vet", vettool, "./...").Check(t, 0, nil, []string{"pipe writer"})
	e2etest.Run(t, before, "go", "vet", vettool, "-logwriter.tests", "./...").Check(t, 1, []string{`proxy_test\.go:13:\d+: .*loop`}, nil)
	e2etest.Run(t, before, "go", "vet", vettool, "-logwriter=false", "./...").Check(t, 0, nil, []string{"pipe writer"})
	e2etest.Run(t, testdata("badinput"), "go", "vet", vettool, "./...").Check(t, 1, []string{`undefined: undefinedThing`, `leaky/leaky\.go:12:\d+: .*never closed`}, []string{`panic`, `gen/gen\.go`})
}

const fixedLine = "\t\tw := l.Writer()\n\t\tdefer w.Close()\n\t\tfmt.Fprintf"

func TestFix(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmd  func(dir string) []string
	}{
		{"standalone", func(string) []string { return []string{binary, "-fix", "./..."} }},
		{"go fix", func(string) []string { return []string{"go", "fix", "-fixtool=" + binary, "./..."} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := e2etest.CopyModule(t, testdata("fixable"))
			args := tc.cmd(dir)
			r := e2etest.Run(t, dir, args[0], args[1:]...)
			got, err := os.ReadFile(filepath.Join(dir, "handler", "handler.go"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), fixedLine) {
				t.Errorf("%v (exit %d, %s) did not add the deferred Close:\n%s", args, r.Code, r.Stderr, got)
			}
			// Fixed code is clean.
			e2etest.Run(t, dir, binary, "./...").Check(t, 0, nil, []string{"logwriter"})
		})
	}
}

func TestDiff(t *testing.T) {
	dir := e2etest.CopyModule(t, testdata("fixable"))
	r := e2etest.Run(t, dir, binary, "-fix", "-diff", "./...")
	if !strings.Contains(r.Stdout, "+\t\tdefer w.Close()") {
		t.Errorf("-diff output lacks the fix (exit %d):\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "handler", "handler.go"))
	if strings.Contains(string(got), "defer w.Close()") {
		t.Error("-diff changed the file")
	}
}

// TestCrossPackage needs facts: nothing in package app's types says "pipe".
func TestCrossPackage(t *testing.T) {
	dir := testdata("crosspkg")
	want := []string{
		`app/app\.go:11:7: logutil\.NewWriter creates a pipe writer .* never closed`,
		`app/app\.go:16:2: logutil\.ErrorLog creates a pipe writer with logutil\.pipe \(logutil\.go:25\) and never closes it`,
	}
	notWant := []string{`app\.go:(2[0-9])`, `logutil/logutil\.go:\d+:\d+:`}
	e2etest.Run(t, dir, binary, "./...").Check(t, 3, want, notWant)
	e2etest.Run(t, dir, "go", "vet", "-vettool="+binary, "./...").Check(t, 1, want, notWant)
}
