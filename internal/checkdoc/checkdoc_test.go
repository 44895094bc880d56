package checkdoc

import (
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	src := "// Package x does things.\n//\n// # Analyzer x\n//\n// x: finds things\n//\n// More text.\n//\n// # Other\n//\n// Not part of it.\npackage x\n"
	got, err := extract(src, "x")
	if err != nil {
		t.Fatal(err)
	}
	if want := "finds things\n\nMore text."; got != want {
		t.Errorf("extract = %q, want %q", got, want)
	}
}

func TestExtractErrors(t *testing.T) {
	for _, src := range []string{
		"package x\n",
		"// Package x.\npackage x\n",
		"// Package x.\n//\n// # Analyzer x\n//\n// no summary line\npackage x\n",
	} {
		if _, err := extract(src, "x"); err == nil {
			t.Errorf("extract(%q) succeeded, want an error", src)
		} else if !strings.Contains(err.Error(), "x") {
			t.Errorf("error %q does not name the check", err)
		}
	}
}
