package suitegen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree writes files (path: content) under a new directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for path, content := range files {
		path = filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func check(pkg, order string) string {
	return "package " + pkg + "\n\nconst Order = " + order + "\n\nvar Analyzer = 1\n"
}

func TestGenerateOrdersByOrder(t *testing.T) {
	dir := tree(t, map[string]string{
		"zeta/zeta.go":       check("zeta", "1"),
		"alpha/alpha.go":     check("alpha", "3"),
		"mid/doc.go":         "// Package mid.\npackage mid\n",
		"mid/mid.go":         check("mid", "2"),
		"mid/mid_test.go":    "package mid\n\nvar Analyzer = 2\n",
		"testdata/x/x.go":    "package x\n",
		"internal/util/u.go": "package util\n",
		"notes/README.md":    "not Go",
		"renamed/renamed.go": check("other", "4"),
	})
	src, err := Generate(dir, "example.com/m/analyzers")
	if err != nil {
		t.Fatal(err)
	}
	got := string(src)
	for _, want := range []string{
		"\t\"example.com/m/analyzers/alpha\"\n",
		"\tother \"example.com/m/analyzers/renamed\"\n",
		"zeta.Analyzer,  // Order 1\n\tmid.Analyzer,   // Order 2\n\talpha.Analyzer, // Order 3\n\tother.Analyzer, // Order 4\n}",
		"DO NOT EDIT.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("generated source lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"testdata", "util", "notes"} {
		if strings.Contains(got, not) {
			t.Errorf("generated source names %s:\n%s", not, got)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		err   string
	}{
		{"no Analyzer", map[string]string{"a/a.go": "package a\n\nconst Order = 1\n"}, "analyzers/a holds Go files but is not a check"},
		{"no Order", map[string]string{"a/a.go": "package a\n\nvar Analyzer = 1\n"}, "analyzers/a holds Go files but is not a check"},
		{"Order only in a test", map[string]string{"a/a.go": "package a\n\nvar Analyzer = 1\n", "a/a_test.go": "package a\n\nconst Order = 1\n"}, "is not a check"},
		{"computed Order", map[string]string{"a/a.go": "package a\n\nconst Order = 1 + 1\n\nvar Analyzer = 1\n"}, "Order must be a whole number written out"},
		{"zero Order", map[string]string{"a/a.go": check("a", "0")}, "from 1 up"},
		{"same Order", map[string]string{"a/a.go": check("a", "1"), "b/b.go": check("b", "1")}, "analyzers/a and analyzers/b both declare Order = 1"},
		{"syntax error", map[string]string{"a/a.go": "package a\n\nvar (\n"}, "a.go"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Generate(tree(t, tc.files), "example.com/m/analyzers")
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("err = %v, want one containing %q", err, tc.err)
			}
		})
	}
}
