package main

import (
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// SARIF 2.1.0, as GitHub code scanning reads it: one run, one rule per
// check, one result per finding with its region, and suggested fixes as
// SARIF fixes. Paths are relative to the working directory (%SRCROOT%)
// where they lie below it.

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Results            []sarifResult               `json:"results"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	Name             string       `json:"name"`
	ShortDescription sarifText    `json:"shortDescription"`
	FullDescription  sarifText    `json:"fullDescription"`
	Help             sarifText    `json:"help"`
	HelpURI          string       `json:"helpUri,omitempty"`
	Default          sarifDefault `json:"defaultConfiguration"`
}

type sarifDefault struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	Fixes     []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	Physical sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	Artifact sarifArtifactLoc `json:"artifactLocation"`
	Region   sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description sarifText             `json:"description"`
	Changes     []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	Artifact     sarifArtifactLoc   `json:"artifactLocation"`
	Replacements []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	Deleted  sarifRegion `json:"deletedRegion"`
	Inserted sarifText   `json:"insertedContent"`
}

// writeSARIF writes the findings as SARIF.
func writeSARIF(w io.Writer, list []*finding, checks []*analysis.Analyzer, root string) error {
	version, _, _ := buildVersion()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "proxylint",
			Version:        version,
			InformationURI: "https://github.com/proxylint/proxylint",
		}},
		Results: []sarifResult{},
	}
	if abs, err := filepath.Abs(root); err == nil {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{
			"%SRCROOT%": {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()},
		}
		root = abs
	}
	index := map[string]int{}
	for i, a := range checks {
		index[a.Name] = i
		summary, _, _ := strings.Cut(a.Doc, "\n\n")
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:               a.Name,
			Name:             a.Name,
			ShortDescription: sarifText{summary},
			FullDescription:  sarifText{a.Doc},
			Help:             sarifText{a.Doc},
			HelpURI:          a.URL,
			Default:          sarifDefault{Level: "warning"},
		})
	}
	artifact := func(filename string) sarifArtifactLoc {
		if rel, err := filepath.Rel(root, filename); err == nil && !strings.HasPrefix(rel, "..") {
			return sarifArtifactLoc{URI: filepath.ToSlash(rel), URIBaseID: "%SRCROOT%"}
		}
		return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(filename)}).String()}
	}
	region := func(fset *token.FileSet, pos, end token.Pos) sarifRegion {
		p := fset.Position(pos)
		r := sarifRegion{StartLine: p.Line, StartColumn: p.Column}
		if end.IsValid() && end > pos {
			e := fset.Position(end)
			r.EndLine, r.EndColumn = e.Line, e.Column
		}
		return r
	}

	for _, f := range list {
		fset, d, posn := f.fset, f.diag, f.posn
		res := sarifResult{
			RuleID:    f.check.Name,
			RuleIndex: index[f.check.Name],
			Level:     "warning",
			Message:   sarifText{d.Message},
			Locations: []sarifLocation{{Physical: sarifPhysical{Artifact: artifact(posn.Filename), Region: region(fset, d.Pos, d.End)}}},
		}
		for _, fix := range d.SuggestedFixes {
			byFile := map[string]*sarifArtifactChange{}
			var files []string
			for _, edit := range fix.TextEdits {
				name := fset.Position(edit.Pos).Filename
				ch := byFile[name]
				if ch == nil {
					ch = &sarifArtifactChange{Artifact: artifact(name)}
					byFile[name] = ch
					files = append(files, name)
				}
				del := region(fset, edit.Pos, edit.End)
				if edit.End == edit.Pos || !edit.End.IsValid() {
					// An insertion: an empty region at the position.
					del.EndLine, del.EndColumn = del.StartLine, del.StartColumn
				}
				ch.Replacements = append(ch.Replacements, sarifReplacement{Deleted: del, Inserted: sarifText{string(edit.NewText)}})
			}
			slices.Sort(files)
			sf := sarifFix{Description: sarifText{fix.Message}}
			for _, name := range files {
				sf.Changes = append(sf.Changes, *byFile[name])
			}
			res.Fixes = append(res.Fixes, sf)
		}
		run.Results = append(run.Results, res)
	}
	slices.SortStableFunc(run.Results, func(a, b sarifResult) int {
		pa, pb := a.Locations[0].Physical, b.Locations[0].Physical
		if c := strings.Compare(pa.Artifact.URI, pb.Artifact.URI); c != 0 {
			return c
		}
		return pa.Region.StartLine - pb.Region.StartLine
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	err := enc.Encode(sarifLog{
		Version: "2.1.0",
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Runs:    []sarifRun{run},
	})
	return err
}
