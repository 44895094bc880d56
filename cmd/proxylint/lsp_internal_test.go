package main

import (
	"go/token"
	"reflect"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/proxylint/proxylint/plugin"
)

// TestLSPSettings: the plugin's settings as they are or under "proxylint",
// an object meant for other servers as no settings, and unknown keys as
// errors that name them.
func TestLSPSettings(t *testing.T) {
	for _, tc := range []struct {
		json string
		want plugin.Settings
		err  string
	}{
		{`{"disable": ["deadline"]}`, plugin.Settings{Disable: []string{"deadline"}}, ""},
		{`{"proxylint": {"enable": ["logwriter"]}, "gopls": {"staticcheck": true}}`, plugin.Settings{Enable: []string{"logwriter"}}, ""},
		{`{"checks": {"logwriter": {"tests": true}}}`, plugin.Settings{Checks: map[string]map[string]any{"logwriter": {"tests": true}}}, ""},
		{`{"gopls": {"staticcheck": true}}`, plugin.Settings{}, ""},
		{`{"proxylint": {"enabled": ["logwriter"]}}`, plugin.Settings{}, `unknown field "enabled"`},
		{`{"checks": {}, "colour": "red"}`, plugin.Settings{}, `unknown field "colour"`},
		{`[1]`, plugin.Settings{}, `settings must be an object`},
	} {
		got, err := decodeLSPSettings([]byte(tc.json))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want one containing %q", tc.json, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, %v; want %+v", tc.json, got, err, tc.want)
		}
	}
}

// TestLSPPosition: columns count UTF-16 code units, as the protocol's
// default encoding does: two for a character outside the BMP, one for any
// other, whatever its length in UTF-8.
func TestLSPPosition(t *testing.T) {
	src := []byte("package p\n\nvar s = \"é😀\" + x\n")
	at := func(sub string) token.Position {
		off := strings.Index(string(src), sub)
		line := strings.Count(string(src[:off]), "\n") + 1
		col := off - strings.LastIndex(string(src[:off]), "\n")
		return token.Position{Offset: off, Line: line, Column: col}
	}
	for sub, want := range map[string]protocol.Position{
		"package": {Line: 0, Character: 0},
		"var":     {Line: 2, Character: 0},
		"é":       {Line: 2, Character: 9},
		"😀":       {Line: 2, Character: 10},
		"+ x":     {Line: 2, Character: 14},
	} {
		if got := lspPosition(src, at(sub)); got != want {
			t.Errorf("%q: %+v, want %+v", sub, got, want)
		}
	}
	// A file shorter than the position (changed since): the byte column.
	if got := lspPosition([]byte("package p\n"), token.Position{Offset: 50, Line: 3, Column: 7}); got != (protocol.Position{Line: 2, Character: 6}) {
		t.Errorf("past the end: %+v", got)
	}
}

func TestFileURIs(t *testing.T) {
	for _, name := range []string{"/tmp/a b/c.go", "/home/x/%d/p.go", "/ü/q.go"} {
		uri := pathURI(name)
		back, err := uriPath(uri)
		if err != nil || back != name {
			t.Errorf("%s -> %s -> %s, %v", name, uri, back, err)
		}
	}
	if got := pathURI("/tmp/a b/c.go"); got != "file:///tmp/a%20b/c.go" {
		t.Errorf("pathURI: %s", got)
	}
	if _, err := uriPath("untitled:Untitled-1"); err == nil {
		t.Errorf("a non-file URI has no path")
	}
}
