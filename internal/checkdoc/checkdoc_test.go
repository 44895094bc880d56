package checkdoc

import (
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	src := "// Package x does things.\n//\n// # Analyzer x\n//\n// x: finds things\n//\n// Incident: Acme 1.2, acme/acme#3.\n//\n// Bad: this.\n//\n// Good: that.\n//\n// # Other\n//\n// Not part of it.\npackage x\n"
	got, err := extract(src, "x")
	if err != nil {
		t.Fatal(err)
	}
	if want := "finds things\n\nIncident: Acme 1.2, acme/acme#3.\n\nBad: this.\n\nGood: that."; got != want {
		t.Errorf("extract = %q, want %q", got, want)
	}
	if s, i := Summary(got), Incident(got); s != "finds things" || i != "Acme 1.2, acme/acme#3" {
		t.Errorf("Summary, Incident = %q, %q", s, i)
	}
}

func TestExtractErrors(t *testing.T) {
	for _, src := range []string{
		"package x\n",
		"// Package x.\npackage x\n",
		"// Package x.\n//\n// # Analyzer x\n//\n// no summary line\npackage x\n",
		"// Package x.\n//\n// # Analyzer x\n//\n// x: finds things\n//\n// No incident paragraph.\n//\n// Bad: this.\n//\n// Good: that.\npackage x\n",
		"// Package x.\n//\n// # Analyzer x\n//\n// x: finds things\n//\n// Incident: Acme 1.2.\n//\n// Good: no bad example.\npackage x\n",
		"// Package x.\n//\n// # Analyzer x\n//\n// x: finds things\n//\n// Incident: Acme 1.2.\n//\n// Bad: no good example.\npackage x\n",
		"// Package x.\n//\n// # Analyzer x\n//\n// x: finds things\n//\n// More.\n//\n// Incident: not second.\npackage x\n",
	} {
		if _, err := extract(src, "x"); err == nil {
			t.Errorf("extract(%q) succeeded, want an error", src)
		} else if !strings.Contains(err.Error(), "x") {
			t.Errorf("error %q does not name the check", err)
		}
	}
}
