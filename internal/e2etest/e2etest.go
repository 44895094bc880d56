// Package e2etest holds what the end-to-end tests of the real binaries
// share: running a command in a module and checking its exit status and
// output, and copying an end-to-end module to a scratch directory.
package e2etest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// Result is how a command ended.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run runs name with args in dir, in module mode and with no workspace.
func Run(t *testing.T, dir, name string, args ...string) Result {
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
	return Result{code, stdout.String(), stderr.String()}
}

// Check fails t unless the command exited with code and its combined output
// matches every regexp of want and none of notWant.
func (r Result) Check(t *testing.T, code int, want, notWant []string) {
	t.Helper()
	out := r.Stdout + r.Stderr
	if r.Code != code {
		t.Errorf("exit code %d, want %d; output:\n%s", r.Code, code, out)
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

// Testdata returns the path of the repository's testdata directory (or a
// path below it), found from the working directory of a test of any of the
// repository's packages.
func Testdata(parts ...string) string {
	dir, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(data, []byte("module github.com/proxylint/proxylint\n")) {
			return filepath.Join(append([]string{dir, "testdata"}, parts...)...)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			panic("e2etest: not inside the proxylint repository")
		}
		dir = parent
	}
}

// CopyModule copies the directory src to a new temporary directory.
func CopyModule(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
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
