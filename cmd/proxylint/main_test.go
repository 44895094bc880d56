package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

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

func testdata(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata"}, parts...)...)
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs name with args in dir, in module mode and with no workspace.
func run(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{code, stdout.String(), stderr.String()}
}

func (r result) check(t *testing.T, code int, want, notWant []string) {
	t.Helper()
	out := r.stdout + r.stderr
	if r.code != code {
		t.Errorf("exit code %d, want %d; output:\n%s", r.code, code, out)
	}
	for _, w := range want {
		if !regexp.MustCompile(w).MatchString(out) {
			t.Errorf("output does not match %q:\n%s", w, out)
		}
	}
	for _, w := range notWant {
		if regexp.MustCompile(w).MatchString(out) {
			t.Errorf("output matches %q:\n%s", w, out)
		}
	}
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
			run(t, tc.dir, binary, tc.args...).check(t, tc.code, tc.want, tc.notWant)
		})
	}
}

func TestStandaloneJSON(t *testing.T) {
	r := run(t, testdata("traefik-11423", "before"), binary, "-json", "./...")
	if r.code != 0 {
		t.Fatalf("-json exit code %d, want 0: %s", r.code, r.stderr)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, r.stdout)
	}
	var diags []struct {
		Posn, Message string
	}
	if err := json.Unmarshal(tree["example.com/traefik11423/service"]["logwriter"], &diags); err != nil {
		t.Fatalf("no logwriter diagnostics for the service package: %v\n%s", err, r.stdout)
	}
	if len(diags) != 1 || !strings.HasSuffix(diags[0].Posn, filepath.Join("service", "proxy.go")+":20:29") {
		t.Errorf("diagnostics = %+v, want one at service/proxy.go:20:29", diags)
	}
}

func TestHelp(t *testing.T) {
	run(t, ".", binary, "help").check(t, 0, []string{`logwriter +report pipe-backed log writers`}, nil)
	run(t, ".", binary, "help", "logwriter").check(t, 0, []string{
		`logwriter: report pipe-backed log writers`, `-logwriter\.tests`, `traefik/traefik#11423`,
	}, nil)
}

func TestVet(t *testing.T) {
	before, after := testdata("traefik-11423", "before"), testdata("traefik-11423", "after")
	vettool := "-vettool=" + binary
	// go vet exits 1 when a tool reports findings. The finding needs the
	// interface in package log: facts cross packages as vet schedules them.
	run(t, before, "go", "vet", vettool, "./...").check(t, 1, []string{`service/proxy\.go:20:\d+: log\.Logger\.WriterLevel creates a pipe writer`}, []string{"proxy_test.go"})
	run(t, after, "go", "vet", vettool, "./...").check(t, 0, nil, []string{"pipe writer"})
	run(t, before, "go", "vet", vettool, "-logwriter.tests", "./...").check(t, 1, []string{`proxy_test\.go:13:\d+: .*loop`}, nil)
	run(t, before, "go", "vet", vettool, "-logwriter=false", "./...").check(t, 0, nil, []string{"pipe writer"})
	run(t, testdata("badinput"), "go", "vet", vettool, "./...").check(t, 1, []string{`undefined: undefinedThing`, `leaky/leaky\.go:12:\d+: .*never closed`}, []string{`panic`, `gen/gen\.go`})
}

// copyModule copies an end-to-end module to a temporary directory.
func copyModule(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	src := testdata(name)
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
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
			dir := copyModule(t, "fixable")
			args := tc.cmd(dir)
			r := run(t, dir, args[0], args[1:]...)
			got, err := os.ReadFile(filepath.Join(dir, "handler", "handler.go"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), fixedLine) {
				t.Errorf("%v (exit %d, %s) did not add the deferred Close:\n%s", args, r.code, r.stderr, got)
			}
			// Fixed code is clean.
			run(t, dir, binary, "./...").check(t, 0, nil, []string{"logwriter"})
		})
	}
}

func TestDiff(t *testing.T) {
	dir := copyModule(t, "fixable")
	r := run(t, dir, binary, "-fix", "-diff", "./...")
	if !strings.Contains(r.stdout, "+\t\tdefer w.Close()") {
		t.Errorf("-diff output lacks the fix (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
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
	run(t, dir, binary, "./...").check(t, 3, want, notWant)
	run(t, dir, "go", "vet", "-vettool="+binary, "./...").check(t, 1, want, notWant)
}
