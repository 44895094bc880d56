package main_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/proxylint/proxylint/analyzers"
	"github.com/proxylint/proxylint/internal/e2etest"
)

var testdata = e2etest.Testdata

// These tests build the real binary and run it the ways users do:
// standalone, as go vet's -vettool and as go fix's -fixtool, on the
// end-to-end modules under testdata/. They take minutes on a busy machine,
// so go test -short skips them.

var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
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

// needBinary skips t under go test -short.
func needBinary(t *testing.T) {
	t.Helper()
	if binary == "" {
		t.Skip("runs the built binary; skipped with -short")
	}
}

const traefikFinding = `service/proxy\.go:20:\d+: log\.Logger\.WriterLevel creates a pipe writer .* every time buildProxy builds a handler .* \(logwriter\)`

func TestStandalone(t *testing.T) {
	needBinary(t)
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
		}, []string{`panic`, `gen/gen\.go`, `internal error`, `failed prerequisites`, `ssair|closers|locks|reqscope|proxylintreport`}},
		{"broken dependency", testdata("badinput"), []string{"./brokendep"}, 1, []string{
			`package example\.com/badinput/brokendep was not analysed: its dependency example\.com/badinput/broken does not load: .*undefined: undefinedThing`,
		}, nil},
		{"bad input json", testdata("badinput"), []string{"-json", "./..."}, 1, []string{`"posn": ".*leaky\.go:12:9"`, `broken does not load`},
			[]string{`failed prerequisites`, `ssair|closers|locks|reqscope|proxylintreport`}},
		{"flag after packages", before, []string{"./...", "-json"}, 2, []string{`flag -json after the packages`}, nil},
		{"bad format", before, []string{"-format=xml", "./..."}, 2, []string{`-format must be text, json or sarif`}, nil},
		{"unknown flag", before, []string{"-nosuchflag", "./..."}, 2, []string{`flag provided but not defined: -nosuchflag`}, nil},
		{"no arguments", before, nil, 2, []string{`usage: proxylint`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e2etest.Run(t, tc.dir, binary, tc.args...).Check(t, tc.code, tc.want, tc.notWant)
		})
	}
}

// TestStreams: findings go to stdout, so that `proxylint ./... > report`
// keeps them; errors and notes go to stderr.
func TestStreams(t *testing.T) {
	needBinary(t)
	r := e2etest.Run(t, testdata("badinput"), binary, "./...")
	if !regexp.MustCompile(`leaky\.go:12:9: .*\(logwriter\)\n$`).MatchString(r.Stdout) || strings.Contains(r.Stdout, "does not load") {
		t.Errorf("stdout should hold the finding and nothing else:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Stderr, "broken does not load") || strings.Contains(r.Stderr, "leaky.go") {
		t.Errorf("stderr should hold the load error and nothing else:\n%s", r.Stderr)
	}
	r = e2etest.Run(t, testdata("traefik-11423", "before"), binary, "./...")
	if r.Stderr != "" || !regexp.MustCompile(traefikFinding).MatchString(r.Stdout) {
		t.Errorf("a clean load with a finding: stdout %q, stderr %q", r.Stdout, r.Stderr)
	}
}

// TestExitCodes: one contract for every format: 0 clean, 3 findings (0 for
// -json, as go vet -json), 1 load or analysis error, 2 bad command line.
func TestExitCodes(t *testing.T) {
	needBinary(t)
	for _, format := range []string{"text", "json", "sarif"} {
		for _, tc := range []struct {
			dir  string
			args []string
			code int
		}{
			{testdata("traefik-11423", "after"), []string{"./..."}, 0},
			{testdata("traefik-11423", "before"), []string{"./..."}, 3},
			{testdata("badinput"), []string{"./..."}, 1},
			{testdata("traefik-11423", "before"), []string{"-logwriter=maybe", "./..."}, 2},
		} {
			args := append([]string{"-format=" + format}, tc.args...)
			code := tc.code
			if format == "json" && code == 3 {
				code = 0 // as go vet -json: the findings are the output
			}
			t.Run(format+" "+filepath.Base(filepath.Dir(tc.dir))+"/"+filepath.Base(tc.dir)+fmt.Sprint(code), func(t *testing.T) {
				e2etest.Run(t, tc.dir, binary, args...).Check(t, code, nil, nil)
			})
		}
	}
}

func TestStandaloneJSON(t *testing.T) {
	needBinary(t)
	// -test loads the test variant too; the finding is still listed once.
	for _, args := range [][]string{{"-json", "./..."}, {"-json", "-test", "./..."}} {
		r := e2etest.Run(t, testdata("traefik-11423", "before"), binary, args...)
		if r.Code != 0 {
			t.Fatalf("%v: exit code %d, want 0 (as go vet -json): %s", args, r.Code, r.Stderr)
		}
		var tree map[string]map[string][]struct {
			Posn, Message, Category string
		}
		if err := json.Unmarshal([]byte(r.Stdout), &tree); err != nil {
			t.Fatalf("%v: output is not JSON: %v\n%s", args, err, r.Stdout)
		}
		var all []string
		for id, checks := range tree {
			for check, diags := range checks {
				for _, d := range diags {
					all = append(all, id+" "+check+" "+d.Posn)
				}
			}
		}
		want := "example.com/traefik11423/service logwriter " + filepath.Join(testdata("traefik-11423", "before"), "service", "proxy.go") + ":20:29"
		if len(all) != 1 || all[0] != want {
			t.Errorf("%v: diagnostics = %q, want just %q", args, all, want)
		}
	}
}

// TestTestsOnDemand: without a check's tests flag, test files are not
// loaded: a package whose tests do not compile is still analysed.
func TestTestsOnDemand(t *testing.T) {
	needBinary(t)
	dir := testdata("brokentest")
	finding := `relay/relay\.go:12:9: .*never closed.* \(logwriter\)`
	e2etest.Run(t, dir, binary, "./...").Check(t, 3, []string{finding}, []string{"relay_test", "does not load"})
	e2etest.Run(t, dir, binary, "-logwriter.tests", "./...").Check(t, 1, []string{`does not load: .*relay_test\.go:6:2: undefined: HandleRenamed`}, nil)
	e2etest.Run(t, dir, binary, "-test", "./...").Check(t, 1, []string{`undefined: HandleRenamed`}, nil)
}

func TestHelp(t *testing.T) {
	needBinary(t)
	want := []string{`logwriter +report pipe-backed log writers`, `-fix\n`, `-diff\n`, `-V\n`, `-format format\n`, `-tags tags\n\s+comma-separated build tags`,
		`Exit status, the same for every -format`, `3  findings remain`, `Examples:`, `proxylint lsp \[flags\] +a language server for editors`}
	for _, a := range analyzers.All() {
		want = append(want, `\n  `+a.Name+` +\S`)
	}
	notWant := []string{`no effect`, `is a tool for static analysis`}
	for _, args := range [][]string{{"help"}, {"-h"}, {"-help"}} {
		r := e2etest.Run(t, ".", binary, args...)
		r.Check(t, 0, want, notWant)
		if r.Stderr != "" {
			t.Errorf("%v writes to stderr: %s", args, r.Stderr)
		}
	}
	e2etest.Run(t, ".", binary, "help", "logwriter").Check(t, 0, []string{
		`logwriter: report pipe-backed log writers`, `-logwriter\.tests`, `traefik/traefik#11423`, `Documentation: .*docs/checks/logwriter\.md`,
	}, nil)
	e2etest.Run(t, ".", binary, "help", "nosuchcheck").Check(t, 2, []string{`no check named "nosuchcheck"`}, nil)
}

// TestVersion: `proxylint version` and -V print the module version the go
// command recorded in the binary; -V=full is the line of go vet's protocol.
func TestVersion(t *testing.T) {
	needBinary(t)
	out, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\n\tmod\tgithub\.com/proxylint/proxylint\t(\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("go version -m has no main module line:\n%s", out)
	}
	version := regexp.QuoteMeta(string(m[1]))
	e2etest.Run(t, ".", binary, "version").Check(t, 0, []string{`^proxylint ` + version + ` go1\.\d+`}, nil)
	e2etest.Run(t, ".", binary, "-V").Check(t, 0, []string{`^proxylint ` + version + ` go1\.\d+`}, nil)
	full := strings.NewReplacer("(devel)", "devel").Replace(string(m[1]))
	e2etest.Run(t, ".", binary, "-V=full").Check(t, 0, []string{`^proxylint version ` + regexp.QuoteMeta(full) + ` go1\.\S+ buildID=[0-9a-f]{64}\n$`}, []string{`comments-go-here`})
	e2etest.Run(t, ".", binary, "-V=short").Check(t, 2, []string{`want -V or -V=full`}, nil)
}

func TestVet(t *testing.T) {
	needBinary(t)
	before, after := testdata("traefik-11423", "before"), testdata("traefik-11423", "after")
	vettool := "-vettool=" + binary
	// go vet exits 1 when a tool reports findings. The finding needs the
	// interface in package log: facts cross packages as vet schedules them.
	// Its message ends with the check's name, for //lint:ignore.
	e2etest.Run(t, before, "go", "vet", vettool, "./...").Check(t, 1, []string{`service/proxy\.go:20:\d+: log\.Logger\.WriterLevel creates a pipe writer.* \(logwriter\)\n`}, []string{"proxy_test.go"})
	e2etest.Run(t, after, "go", "vet", vettool, "./...").Check(t, 0, nil, []string{"pipe writer"})
	e2etest.Run(t, before, "go", "vet", vettool, "-logwriter.tests", "./...").Check(t, 1, []string{`proxy_test\.go:13:\d+: .*loop`}, nil)
	e2etest.Run(t, before, "go", "vet", vettool, "-logwriter=false", "./...").Check(t, 0, nil, []string{"pipe writer"})
	e2etest.Run(t, testdata("badinput"), "go", "vet", vettool, "./...").Check(t, 1, []string{`undefined: undefinedThing`, `leaky/leaky\.go:12:\d+: .*never closed`}, []string{`panic`, `gen/gen\.go`})
}

// TestBuildTags: -tags in both forms the go command accepts, in every mode.
// go vet and go fix hand the tool `-tags x` as two arguments.
func TestBuildTags(t *testing.T) {
	needBinary(t)
	dir := testdata("fixmix")
	trace := `handler/trace\.go:12:8: .*never closed.* \(logwriter\)`
	proxy := `handler/proxy\.go:14:26: .*BuildProxy.* \(logwriter\)`
	e2etest.Run(t, dir, binary, "./...").Check(t, 3, []string{proxy}, []string{`trace\.go`})
	for _, tags := range [][]string{{"-tags", "integration"}, {"-tags=integration"}} {
		t.Run(strings.Join(tags, " "), func(t *testing.T) {
			e2etest.Run(t, dir, binary, append(tags, "./...")...).Check(t, 3, []string{trace, proxy}, nil)
			vet := append(append([]string{"vet"}, tags...), "-vettool="+binary, "./...")
			e2etest.Run(t, dir, "go", vet...).Check(t, 1, []string{trace, proxy}, []string{`vet\.cfg`, `does not load`})

			// Fixes: the tagged file is fixed too; the finding with no fix stays.
			for _, mode := range []string{"standalone", "go fix"} {
				copy := e2etest.CopyModule(t, dir)
				var r e2etest.Result
				if mode == "standalone" {
					r = e2etest.Run(t, copy, binary, append(append([]string{"-fix"}, tags...), "./...")...)
					r.Check(t, 3, []string{proxy, `fixed 2 of 3 findings, in 2 files`}, []string{`trace\.go:`, `audit\.go:`})
				} else {
					r = e2etest.Run(t, copy, "go", append(append([]string{"fix"}, tags...), "-fixtool="+binary, "./...")...)
					r.Check(t, 0, nil, []string{`vet\.cfg`, `does not load`})
				}
				for _, file := range []string{"trace.go", "audit.go"} {
					got, _ := os.ReadFile(filepath.Join(copy, "handler", file))
					if !strings.Contains(string(got), "w := l.Writer()\n\t\tdefer w.Close()\n") {
						t.Errorf("%s did not fix %s:\n%s", mode, file, got)
					}
				}
			}
		})
	}
}

const fixedLine = "\t\tw := l.Writer()\n\t\tdefer w.Close()\n\t\tfmt.Fprintf"

func TestFix(t *testing.T) {
	needBinary(t)
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
			if r.Code != 0 {
				t.Errorf("%v: exit %d after fixing every finding, want 0: %s%s", args, r.Code, r.Stdout, r.Stderr)
			}
			// Fixed code is clean.
			e2etest.Run(t, dir, binary, "./...").Check(t, 0, nil, []string{"logwriter"})
		})
	}
}

// TestFixFormats: -fix with every output format applies the fixes and
// reports, in that format, the finding it could not fix.
func TestFixFormats(t *testing.T) {
	needBinary(t)
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			dir := e2etest.CopyModule(t, testdata("fixmix"))
			r := e2etest.Run(t, dir, binary, "-fix", "-format="+format, "./...")
			want := 3 // a finding is left
			if format == "json" {
				want = 0 // as go vet -json: the findings are the output
			}
			if r.Code != want {
				t.Errorf("exit %d, want %d: %s", r.Code, want, r.Stderr)
			}
			if !strings.Contains(r.Stdout, "BuildProxy") || strings.Contains(r.Stdout, "audit.go") {
				t.Errorf("stdout should report the proxy's finding only:\n%s", r.Stdout)
			}
			if format != "text" && !json.Valid([]byte(r.Stdout)) {
				t.Errorf("stdout is not %s:\n%s", format, r.Stdout)
			}
			if !strings.Contains(r.Stderr, "fixed 1 of 2 findings, in 1 files") {
				t.Errorf("stderr lacks the summary: %s", r.Stderr)
			}
			got, _ := os.ReadFile(filepath.Join(dir, "handler", "audit.go"))
			if !strings.Contains(string(got), "defer w.Close()") {
				t.Errorf("audit.go not fixed:\n%s", got)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	needBinary(t)
	dir := e2etest.CopyModule(t, testdata("fixmix"))
	for _, args := range [][]string{{"-fix", "-diff", "./..."}, {"-diff", "./..."}} {
		r := e2etest.Run(t, dir, binary, args...)
		if !strings.Contains(r.Stdout, "+\t\tdefer w.Close()") || !strings.Contains(r.Stdout, "@@ -14,6 +14,7 @@") {
			t.Errorf("%v: output lacks the fix:\n%s%s", args, r.Stdout, r.Stderr)
		}
		if strings.Contains(r.Stdout, "BuildProxy") || !strings.Contains(r.Stderr, "proxy.go:14:26") {
			t.Errorf("%v: the finding with no fix belongs on stderr, outside the patch:\nstdout:\n%s\nstderr:\n%s", args, r.Stdout, r.Stderr)
		}
		if r.Code != 3 {
			t.Errorf("%v: exit %d, want 3: nothing was fixed", args, r.Code)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "handler", "audit.go"))
	if strings.Contains(string(got), "defer w.Close()") {
		t.Error("-diff changed the file")
	}
	e2etest.Run(t, dir, binary, "-diff", "-format=json", "./...").Check(t, 2, []string{`-diff prints a patch`}, nil)
}

// TestCrossPackage needs facts: nothing in package app's types says "pipe".
func TestCrossPackage(t *testing.T) {
	needBinary(t)
	dir := testdata("crosspkg")
	want := []string{
		`app/app\.go:11:7: logutil\.NewWriter creates a pipe writer .* never closed`,
		`app/app\.go:16:2: logutil\.ErrorLog creates a pipe writer with logutil\.pipe \(logutil\.go:25\) and never closes it`,
		// ErrorLog itself loses the writer on every call, wherever it runs.
		`logutil/logutil\.go:25:\d+: logutil\.pipe creates a pipe writer .* on every call of ErrorLog .* kept only by log\.New`,
	}
	notWant := []string{`app\.go:(2[0-9])`, `logutil/logutil\.go:(1[0-9]|2[0-4]):`}
	e2etest.Run(t, dir, binary, "./...").Check(t, 3, want, notWant)
	e2etest.Run(t, dir, "go", "vet", "-vettool="+binary, "./...").Check(t, 1, want, notWant)
}

// TestDependencySite: a finding in a file of another module names that
// module, in text and in JSON.
func TestDependencySite(t *testing.T) {
	needBinary(t)
	dir := testdata("depsite", "app")
	e2etest.Run(t, dir, binary, "-logwriter", "example.com/depsite/lib/...").Check(t, 3,
		[]string{`lib/logs/logs\.go:12:9: .*never closed.* \(logwriter; in module example\.com/depsite/lib@v0\.1\.0\)\n`}, nil)
	e2etest.Run(t, dir, binary, "-logwriter", "-json", "example.com/depsite/lib/...").Check(t, 0,
		[]string{`"module": "example\.com/depsite/lib@v0\.1\.0"`}, nil)
	// In the main module, no module is named.
	e2etest.Run(t, testdata("depsite", "lib"), binary, "-logwriter", "./...").Check(t, 3,
		[]string{`logs\.go:12:9: .*never closed.* \(logwriter\)\n`}, []string{`in module`})
}
