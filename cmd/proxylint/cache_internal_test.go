package main

import (
	"go/parser"
	"go/token"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestEntryPositions: a cached diagnostic's positions, its fix's edits and
// its related information come back as the same file offsets and the same
// printed positions, also in a file whose positions a //line directive
// moves (as in cgo's generated files) and across two files.
func TestEntryPositions(t *testing.T) {
	fset := token.NewFileSet()
	const gen = "package p\n\nfunc a() {}\n//line orig.go:40:7\nfunc b() {}\n\nfunc c() {}\n"
	const plain = "package p\n\nvar v = 1\n"
	fgen, err := parser.ParseFile(fset, "/tmp/gen.go", gen, 0)
	if err != nil {
		t.Fatal(err)
	}
	fplain, err := parser.ParseFile(fset, "/tmp/plain.go", plain, 0)
	if err != nil {
		t.Fatal(err)
	}
	tgen, tplain := fset.File(fgen.Pos()), fset.File(fplain.Pos())
	at := func(tf *token.File, src, s string) token.Pos {
		for i := range len(src) - len(s) + 1 {
			if src[i:i+len(s)] == s {
				return tf.Pos(i)
			}
		}
		t.Fatalf("%q not in source", s)
		return token.NoPos
	}
	check := &analysis.Analyzer{Name: "check"}
	diag := analysis.Diagnostic{
		Pos: at(tgen, gen, "b()"), End: at(tgen, gen, "() {}\n\nfunc c"), Message: "m", Category: "cat",
		SuggestedFixes: []analysis.SuggestedFix{{Message: "fix", TextEdits: []analysis.TextEdit{
			{Pos: at(tgen, gen, "c()"), End: at(tgen, gen, "c()") + 1, NewText: []byte("d")},
			{Pos: at(tplain, plain, "1"), NewText: []byte("2 + ")},
		}}},
		Related: []analysis.RelatedInformation{{Pos: at(tgen, gen, "a()"), Message: "here"}},
	}
	data, err := encodeEntry(fset, []*analysis.Analyzer{check}, map[*analysis.Analyzer][]analysis.Diagnostic{check: {diag}})
	if err != nil {
		t.Fatal(err)
	}
	fresh := token.NewFileSet()
	fresh.AddFile("/tmp/other.go", -1, 100) // the positions must not depend on the bases
	entry, err := decodeEntry(data, []*analysis.Analyzer{check}, fresh)
	if err != nil {
		t.Fatal(err)
	}
	got := entry.diags[check]
	if len(got) != 1 {
		t.Fatalf("got %d diagnostics, want 1", len(got))
	}
	g := got[0]
	same := func(what string, p, q token.Pos) {
		t.Helper()
		pp, qp := fset.PositionFor(p, true), entry.fset.PositionFor(q, true)
		pu, qu := fset.PositionFor(p, false), entry.fset.PositionFor(q, false)
		if pp != qp || pu != qu {
			t.Errorf("%s: got %v (%v), want %v (%v)", what, qp, qu, pp, pu)
		}
	}
	same("Pos", diag.Pos, g.Pos)
	same("End", diag.End, g.End)
	same("Related", diag.Related[0].Pos, g.Related[0].Pos)
	if g.Related[0].End.IsValid() {
		t.Errorf("an invalid End came back as %v", entry.fset.Position(g.Related[0].End))
	}
	if p := fset.Position(diag.Pos); p.Filename != "/tmp/orig.go" || p.Line != 40 || p.Column != 12 {
		t.Fatalf("the test's //line directive does not apply: %v", p)
	}
	edits, want := g.SuggestedFixes[0].TextEdits, diag.SuggestedFixes[0].TextEdits
	for i := range want {
		same("edit", want[i].Pos, edits[i].Pos)
		tf, wtf := entry.fset.File(edits[i].Pos), fset.File(want[i].Pos)
		if tf.Name() != wtf.Name() || tf.Size() != wtf.Size() || tf.Offset(edits[i].Pos) != wtf.Offset(want[i].Pos) || string(edits[i].NewText) != string(want[i].NewText) {
			t.Errorf("edit %d: got %s@%d %q, want %s@%d %q", i, tf.Name(), tf.Offset(edits[i].Pos), edits[i].NewText, wtf.Name(), wtf.Offset(want[i].Pos), want[i].NewText)
		}
	}
	if g.Message != "m" || g.Category != "cat" || g.SuggestedFixes[0].Message != "fix" || g.Related[0].Message != "here" {
		t.Errorf("texts changed: %+v", g)
	}
}
