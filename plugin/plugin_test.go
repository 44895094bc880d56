package plugin

import (
	"flag"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func fakeChecks() []*analysis.Analyzer {
	var all []*analysis.Analyzer
	for _, name := range []string{"one", "two", "three"} {
		a := &analysis.Analyzer{Name: name, Doc: name}
		a.Flags.Bool("tests", false, "")
		a.Flags.String("types", "", "")
		all = append(all, a)
	}
	return all
}

func names(as []*analysis.Analyzer) string {
	var s []string
	for _, a := range as {
		s = append(s, a.Name)
	}
	return strings.Join(s, ",")
}

func TestConfigure(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings Settings
		want     string
		err      string
	}{
		{"default", Settings{}, "one,two,three", ""},
		{"enable", Settings{Enable: []string{"two"}}, "two", ""},
		{"disable", Settings{Disable: []string{"two"}}, "one,three", ""},
		{"both", Settings{Enable: []string{"one"}, Disable: []string{"two"}}, "", "enable or disable, not both"},
		{"unknown enabled", Settings{Enable: []string{"four"}}, "", `enable names unknown check "four" (checks: one, two, three)`},
		{"unknown check options", Settings{Checks: map[string]map[string]any{"four": {}}}, "", `checks names unknown check "four"`},
		{"unknown option", Settings{Checks: map[string]map[string]any{"one": {"colour": "red"}}}, "", `check one has no option "colour" (options: tests, types)`},
		{"bad value", Settings{Checks: map[string]map[string]any{"one": {"tests": "maybe"}}}, "", `checks.one.tests`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Configure(fakeChecks(), tc.settings)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if names(got) != tc.want {
				t.Errorf("checks = %s, want %s", names(got), tc.want)
			}
		})
	}
}

func TestOptionsSetFlags(t *testing.T) {
	all := fakeChecks()
	_, err := Configure(all, Settings{Checks: map[string]map[string]any{
		"one": {"tests": true, "types": []any{"a.B", "c.D"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := all[0].Flags.Lookup("tests").Value.(flag.Getter).Get(); got != true {
		t.Errorf("tests = %v, want true", got)
	}
	if got := all[0].Flags.Lookup("types").Value.String(); got != "a.B,c.D" {
		t.Errorf("types = %q, want a.B,c.D", got)
	}
}

func TestNewDecodesStrictly(t *testing.T) {
	if _, err := New(map[string]any{"colour": "red"}); err == nil || !strings.Contains(err.Error(), `unknown field "colour"`) {
		t.Errorf("New with an unknown key: err = %v", err)
	}
	p, err := New(map[string]any{"enable": []any{"logwriter"}})
	if err != nil {
		t.Fatal(err)
	}
	as, _ := p.BuildAnalyzers()
	if names(as) != "logwriter" || p.GetLoadMode() != "typesinfo" {
		t.Errorf("plugin = %s, %s", names(as), p.GetLoadMode())
	}
}
