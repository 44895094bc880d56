package main

import (
	"encoding/json"
	"go/token"
	"io"
)

// The JSON output has the shape of go vet -json (and x/tools' drivers):
// package ID -> check -> list of findings. Each finding appears once, under
// the first package that reported it.

type jsonDiagnostic struct {
	Category       string                   `json:"category,omitempty"`
	Posn           string                   `json:"posn"`
	End            string                   `json:"end,omitempty"`
	Message        string                   `json:"message"`
	Module         string                   `json:"module,omitempty"`
	SuggestedFixes []jsonSuggestedFix       `json:"suggested_fixes,omitempty"`
	Related        []jsonRelatedInformation `json:"related,omitempty"`
}

type jsonSuggestedFix struct {
	Message string         `json:"message"`
	Edits   []jsonTextEdit `json:"edits"`
}

type jsonTextEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonRelatedInformation struct {
	Posn    string `json:"posn"`
	End     string `json:"end,omitempty"`
	Message string `json:"message"`
}

func writeJSON(w io.Writer, list []*finding) error {
	tree := map[string]map[string][]jsonDiagnostic{}
	for _, f := range list {
		d := f.diag
		jd := jsonDiagnostic{
			Category: d.Category,
			Posn:     f.posn.String(),
			End:      posString(f.fset, d.End),
			Message:  d.Message,
			Module:   f.module,
		}
		for _, fix := range d.SuggestedFixes {
			jf := jsonSuggestedFix{Message: fix.Message, Edits: []jsonTextEdit{}}
			for _, e := range fix.TextEdits {
				tf := f.fset.File(e.Pos)
				if tf == nil {
					continue
				}
				end := e.End
				if !end.IsValid() {
					end = e.Pos
				}
				jf.Edits = append(jf.Edits, jsonTextEdit{tf.Name(), tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)})
			}
			jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
		}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, jsonRelatedInformation{posString(f.fset, r.Pos), posString(f.fset, r.End), r.Message})
		}
		byCheck := tree[f.pkg.ID]
		if byCheck == nil {
			byCheck = map[string][]jsonDiagnostic{}
			tree[f.pkg.ID] = byCheck
		}
		byCheck[f.check.Name] = append(byCheck[f.check.Name], jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "\t")
	return enc.Encode(tree)
}

func posString(fset *token.FileSet, pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	return fset.Position(pos).String()
}
