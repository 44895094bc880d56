package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/proxylint/proxylint/internal/e2etest"
)

// TestCache: a second run of an unchanged module answers every package from
// the result cache with the same output, fixes included; an edit to a file
// invalidates its package and the packages that import it, and the findings
// follow the edit.
func TestCache(t *testing.T) {
	needBinary(t)
	t.Setenv("PROXYLINT_CACHE", t.TempDir())
	t.Setenv("PROXYLINT_CACHE_STATS", "1")
	dir := e2etest.CopyModule(t, testdata("crosspkg"))
	run := func(args ...string) e2etest.Result {
		t.Helper()
		return e2etest.Run(t, dir, binary, append(args, "./...")...)
	}
	stats := regexp.MustCompile(`proxylint: cache: (\d+) hits, (\d+) misses, (\d+) packages analysed\n`)
	check := func(r e2etest.Result, hits, misses string, analysed bool) {
		t.Helper()
		m := stats.FindStringSubmatch(r.Stderr)
		if m == nil {
			t.Fatalf("no cache statistics in %q", r.Stderr)
		}
		if m[1] != hits || m[2] != misses || (m[3] != "0") != analysed {
			t.Errorf("cache: %s hits, %s misses, %s packages analysed; want %s hits, %s misses, analysed %t", m[1], m[2], m[3], hits, misses, analysed)
		}
	}

	cold := run("-json")
	check(cold, "0", "2", true)
	if !strings.Contains(cold.Stdout, "app.go:11:") || !strings.Contains(cold.Stdout, "app.go:16:") {
		t.Fatalf("cold run lacks the two findings of app.go:\n%s", cold.Stdout)
	}
	warm := run("-json")
	check(warm, "2", "0", false)
	if warm.Stdout != cold.Stdout || warm.Code != cold.Code {
		t.Errorf("warm run differs from the cold one:\n%s\nwant:\n%s", warm.Stdout, cold.Stdout)
	}
	for _, args := range [][]string{{"-c", "1"}, {"-format", "sarif"}} {
		coldText := run(args...)
		warmText := run(args...)
		if warmText.Stdout != coldText.Stdout || warmText.Code != coldText.Code {
			t.Errorf("%v: warm run differs from the cold one:\n%s\nwant:\n%s", args, warmText.Stdout, coldText.Stdout)
		}
	}

	// Only app changes: logutil still comes from the cache.
	app := filepath.Join(dir, "app", "app.go")
	src, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app, append([]byte("// An edit.\n"), src...), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run("-json")
	check(r, "1", "1", true)
	if !strings.Contains(r.Stdout, "app.go:12:") || strings.Contains(r.Stdout, "app.go:11:") {
		t.Errorf("after moving app.go's lines down, the findings did not move:\n%s", r.Stdout)
	}

	// logutil changes: NewWriter no longer needs closing, so app's
	// finding on it goes, although app.go did not change.
	lu := filepath.Join(dir, "logutil", "logutil.go")
	src, err = os.ReadFile(lu)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "func NewWriter() io.WriteCloser { return pipe() }", "func NewWriter() io.WriteCloser { return nopCloser{} }\n\ntype nopCloser struct{ io.Writer }\n\nfunc (nopCloser) Close() error { return nil }", 1)
	if edited == string(src) {
		t.Fatal("logutil.go has changed; update the edit")
	}
	if err := os.WriteFile(lu, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run("-json")
	check(r, "0", "2", true)
	if strings.Contains(r.Stdout, "app.go:12:") || !strings.Contains(r.Stdout, "app.go:17:") {
		t.Errorf("after logutil's NewWriter stopped needing Close, app's findings should be only the ErrorLog one:\n%s", r.Stdout)
	}
	check(run("-json"), "2", "0", false)
}

// TestCacheFixes: -diff and -fix work from cached findings as from fresh ones.
func TestCacheFixes(t *testing.T) {
	needBinary(t)
	t.Setenv("PROXYLINT_CACHE", t.TempDir())
	dir := e2etest.CopyModule(t, testdata("fixable"))
	cold := e2etest.Run(t, dir, binary, "-diff", "./...")
	if !strings.Contains(cold.Stdout, "+++ ") {
		t.Fatalf("cold -diff shows no fix:\n%s%s", cold.Stdout, cold.Stderr)
	}
	t.Setenv("PROXYLINT_CACHE_STATS", "1")
	warm := e2etest.Run(t, dir, binary, "-diff", "./...")
	if !strings.Contains(warm.Stderr, " 0 misses, 0 packages analysed") {
		t.Errorf("warm -diff run was not answered from the cache: %s", warm.Stderr)
	}
	if warm.Stdout != cold.Stdout || warm.Code != cold.Code {
		t.Errorf("warm -diff differs from the cold one:\n%s\nwant:\n%s", warm.Stdout, cold.Stdout)
	}
	fixed := e2etest.Run(t, dir, binary, "-fix", "./...")
	if !strings.Contains(fixed.Stderr, " 0 misses,") || !regexp.MustCompile(`-fix fixed [1-9]\d* of`).MatchString(fixed.Stderr) {
		t.Errorf("-fix from the cache fixed nothing: %s", fixed.Stderr)
	}
	e2etest.Run(t, dir, binary, "./...").Check(t, 0, nil, nil)
}

// TestCacheOff: PROXYLINT_CACHE=off neither reads nor writes a cache.
func TestCacheOff(t *testing.T) {
	needBinary(t)
	t.Setenv("PROXYLINT_CACHE", "off")
	t.Setenv("PROXYLINT_CACHE_STATS", "1")
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOCACHE", strings.TrimSpace(string(gocache)))
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home) // where the default cache would go
	dir := testdata("crosspkg")
	for range 2 {
		e2etest.Run(t, dir, binary, "./...").Check(t, 3, []string{`cache: 0 hits, 0 misses, [1-9]\d* packages analysed`}, nil)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("the cache was written to %s although it is off", home)
	}
}
