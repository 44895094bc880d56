package plugin_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/proxylint/proxylint/internal/e2etest"
)

// TestGolangciLint builds golangci-lint with the plugin from
// tools/golangci-lint (through the module proxy only: minutes when cold) and
// runs it on the end-to-end modules with .golangci-plugin.yml.
func TestGolangciLint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds golangci-lint")
	}
	bin := filepath.Join(t.TempDir(), "golangci-lint-proxylint")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "tools", "golangci-lint")
	build.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building golangci-lint with the plugin: %v\n%s", err, out)
	}
	config, err := filepath.Abs(filepath.Join("..", ".golangci-plugin.yml"))
	if err != nil {
		t.Fatal(err)
	}
	lint := func(t *testing.T, dir string, args ...string) e2etest.Result {
		t.Helper()
		return e2etest.Run(t, dir, bin, append([]string{"run", "-c", config, "--path-mode=abs"}, args...)...)
	}
	const finding = `service/proxy\.go:20:29: logwriter: log\.Logger\.WriterLevel creates a pipe writer .* \(proxylint\)`

	t.Run("before", func(t *testing.T) {
		lint(t, e2etest.CopyModule(t, e2etest.Testdata("traefik-11423", "before")), "./...").Check(t, 1, []string{finding, `1 issues`}, []string{"proxy_test.go"})
	})
	t.Run("after", func(t *testing.T) {
		lint(t, e2etest.CopyModule(t, e2etest.Testdata("traefik-11423", "after")), "./...").Check(t, 0, []string{`0 issues`}, []string{"logwriter"})
	})
	t.Run("nolint", func(t *testing.T) {
		dir := e2etest.CopyModule(t, e2etest.Testdata("traefik-11423", "before"))
		file := filepath.Join(dir, "service", "proxy.go")
		src, _ := os.ReadFile(file)
		lines := strings.Split(string(src), "\n")
		lines[19] += " //nolint:proxylint // built once per service in this deployment"
		os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
		lint(t, dir, "./...").Check(t, 0, []string{`0 issues`}, []string{"logwriter"})
	})
	t.Run("lint:ignore", func(t *testing.T) {
		dir := e2etest.CopyModule(t, e2etest.Testdata("traefik-11423", "before"))
		file := filepath.Join(dir, "service", "proxy.go")
		src, _ := os.ReadFile(file)
		lines := strings.Split(string(src), "\n")
		lines[19] += " //lint:ignore logwriter built once per service in this deployment"
		os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
		lint(t, dir, "./...").Check(t, 0, []string{`0 issues`}, nil)
	})
	t.Run("check option", func(t *testing.T) {
		dir := e2etest.CopyModule(t, e2etest.Testdata("traefik-11423", "before"))
		cfg, _ := os.ReadFile(config)
		custom := filepath.Join(dir, "tests.yml")
		os.WriteFile(custom, []byte(strings.Replace(string(cfg), "tests: false", "tests: true", 1)), 0o644)
		e2etest.Run(t, dir, bin, "run", "-c", custom, "--path-mode=abs", "--tests", "./...").Check(t, 1, []string{finding, `proxy_test\.go:13:\d+: logwriter: .*loop`}, nil)
	})
	t.Run("bad setting", func(t *testing.T) {
		dir := e2etest.CopyModule(t, e2etest.Testdata("traefik-11423", "after"))
		cfg, _ := os.ReadFile(config)
		bad := filepath.Join(dir, "bad.yml")
		os.WriteFile(bad, []byte(strings.Replace(string(cfg), "tests: false", "tests: false\n              colour: red", 1)), 0o644)
		r := e2etest.Run(t, dir, bin, "run", "-c", bad, "./...")
		if r.Code == 0 || !strings.Contains(r.Stdout+r.Stderr, `check logwriter has no option "colour" (options: tests)`) {
			t.Errorf("a bad setting: exit %d, output:\n%s%s", r.Code, r.Stdout, r.Stderr)
		}
	})
	// An editor's golangci-lint language server runs golangci-lint in the
	// module's root on the file's directory and keeps the issues whose path,
	// relative to that root, is the file's. golangci-lint v2 writes paths
	// relative to the configuration's folder, so a configuration in a parent
	// folder (a monorepo's root, a shared one) makes every issue miss;
	// run.relative-path-mode: gomod, which .golangci-plugin.yml sets, makes
	// the paths the language server's.
	t.Run("paths for a language server", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "mod")
		if err := os.CopyFS(dir, os.DirFS(e2etest.Testdata("traefik-11423", "before"))); err != nil {
			t.Fatal(err)
		}
		cfg, _ := os.ReadFile(config)
		issuePaths := func(t *testing.T, cfgText string) []string {
			t.Helper()
			name := filepath.Join(parent, ".golangci.yml")
			os.WriteFile(name, []byte(cfgText), 0o644)
			r := e2etest.Run(t, dir, bin, "run", "-c", name, "--output.json.path=stdout", "--show-stats=false", "--issues-exit-code=1",
				filepath.Join(dir, "service")+string(filepath.Separator))
			var out struct {
				Issues []struct {
					FromLinter string
					Pos        struct{ Filename string }
				}
			}
			if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil || r.Code != 1 {
				t.Fatalf("exit %d, output not JSON (%v):\n%s%s", r.Code, err, r.Stdout, r.Stderr)
			}
			var paths []string
			for _, is := range out.Issues {
				paths = append(paths, is.FromLinter+" "+is.Pos.Filename)
			}
			return paths
		}
		if !strings.Contains(string(cfg), "relative-path-mode: gomod") {
			t.Fatalf("%s does not set run.relative-path-mode: gomod", config)
		}
		// cfg, golangci-lint v2's default.
		if got := issuePaths(t, strings.Replace(string(cfg), "relative-path-mode: gomod", "relative-path-mode: cfg", 1)); len(got) != 1 || got[0] != "proxylint mod/service/proxy.go" {
			t.Errorf("with the default path mode: %q; want the path relative to the configuration's folder (if this changed, docs/editors.md is out of date)", got)
		}
		if got := issuePaths(t, string(cfg)); len(got) != 1 || got[0] != "proxylint service/proxy.go" {
			t.Errorf("with relative-path-mode: gomod: %q; want service/proxy.go, relative to go.mod", got)
		}
	})
	t.Run("fix", func(t *testing.T) {
		dir := e2etest.CopyModule(t, e2etest.Testdata("fixable"))
		lint(t, dir, "--fix", "./...")
		got, _ := os.ReadFile(filepath.Join(dir, "handler", "handler.go"))
		if !strings.Contains(string(got), "w := l.Writer()\n\t\tdefer w.Close()\n") {
			t.Errorf("--fix did not add the deferred Close:\n%s", got)
		}
	})
}
