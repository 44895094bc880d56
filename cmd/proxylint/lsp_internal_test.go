package main

import (
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	protocol "github.com/tliron/glsp/protocol_3_16"
	"golang.org/x/tools/go/packages"

	"github.com/proxylint/proxylint/analyzers"
	"github.com/proxylint/proxylint/internal/e2etest"
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

// TestKeyMemo: the language server's memo gives the keys a standalone run
// computes, and an edit changes the key of the edited package and of its
// importers, not of the others.
func TestKeyMemo(t *testing.T) {
	dir := e2etest.CopyModule(t, e2etest.Testdata("crosspkg"))
	load := func() *driver {
		t.Helper()
		cfg := &packages.Config{Mode: loadMode, Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")}
		pkgs, err := packages.Load(cfg, "./...")
		if err != nil {
			t.Fatal(err)
		}
		return newDriver(pkgs, analyzers.All())
	}
	var salt cacheKey
	keys := func(d *driver) map[string]cacheKey {
		m := map[string]cacheKey{}
		for _, u := range d.units {
			m[u.pkg.ID] = u.key
		}
		return m
	}
	plain := load()
	plain.computeKeys(salt, nil)
	memo := newKeyMemo()
	first := load()
	first.computeKeys(salt, memo)
	again := load()
	again.computeKeys(salt, memo)
	if !reflect.DeepEqual(keys(plain), keys(first)) || !reflect.DeepEqual(keys(first), keys(again)) {
		t.Fatalf("the keys differ with the memo")
	}
	if len(memo.files) == 0 {
		t.Errorf("the memo kept no file digests")
	}

	name := filepath.Join(dir, "logutil", "logutil.go")
	src, _ := os.ReadFile(name)
	if err := os.WriteFile(name, append(src, "\n// edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := load()
	edited.computeKeys(salt, memo)
	before, after := keys(first), keys(edited)
	for id, k := range after {
		changed := k != before[id]
		if want := id == "example.com/crosspkg/logutil" || id == "example.com/crosspkg/app"; changed != want {
			t.Errorf("%s: key changed %t, want %t", id, changed, want)
		}
	}
}
