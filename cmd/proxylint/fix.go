package main

import (
	"bytes"
	"fmt"
	"go/format"
	"io"
	"os"
	"slices"
	"strings"
)

// fixResult is the content -fix gives each file it changes.
type fixResult struct {
	files   map[string]fileFix
	applied int
}

type fileFix struct {
	before, after []byte
}

type edit struct {
	start, end int
	text       string
}

// applyFixes works out, file by file, the first suggested fix of every
// finding, and marks the findings it fixes. A fix is taken whole or not at
// all: one that overlaps an edit already taken, or that touches a file
// outside the packages named on the command line, is left out and its
// finding stays reported. Identical edits (the same import added twice)
// count once. Each changed file is gofmt'ed.
func applyFixes(findings []*finding, editable map[string]bool) (*fixResult, error) {
	res := &fixResult{files: map[string]fileFix{}}
	taken := map[string][]edit{} // file -> accepted edits
	content := map[string][]byte{}
	var firstErr error
	for _, f := range findings {
		if !f.hasFix() {
			continue
		}
		fix := f.diag.SuggestedFixes[0]
		byFile := map[string][]edit{}
		ok := true
		for _, te := range fix.TextEdits {
			tf := f.fset.File(te.Pos)
			if tf == nil {
				ok = false
				break
			}
			name := tf.Name()
			if !editable[name] {
				ok = false
				break
			}
			if _, read := content[name]; !read {
				data, err := os.ReadFile(name)
				if err == nil && len(data) != tf.Size() {
					err = fmt.Errorf("%s changed since it was analysed", name)
				}
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					content[name] = nil
				} else {
					content[name] = data
				}
			}
			if content[name] == nil {
				ok = false
				break
			}
			end := te.End
			if !end.IsValid() {
				end = te.Pos
			}
			byFile[name] = append(byFile[name], edit{tf.Offset(te.Pos), tf.Offset(end), string(te.NewText)})
		}
		if !ok || len(byFile) == 0 {
			continue
		}
		for name, edits := range byFile {
			for _, e := range edits {
				if conflicts(taken[name], e) {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		for name, edits := range byFile {
			for _, e := range edits {
				if !slices.Contains(taken[name], e) {
					taken[name] = append(taken[name], e)
				}
			}
		}
		f.fixed = true
		res.applied++
	}
	for name, edits := range taken {
		slices.SortFunc(edits, func(a, b edit) int {
			if a.start != b.start {
				return a.start - b.start
			}
			return a.end - b.end
		})
		before := content[name]
		var buf bytes.Buffer
		last := 0
		for _, e := range edits {
			buf.Write(before[last:e.start])
			buf.WriteString(e.text)
			last = e.end
		}
		buf.Write(before[last:])
		after := buf.Bytes()
		if formatted, err := format.Source(after); err == nil {
			after = formatted
		}
		res.files[name] = fileFix{before, after}
	}
	return res, firstErr
}

// conflicts reports whether e overlaps an edit of list without being
// identical to it. Two insertions at one offset conflict too: their order
// would be a guess.
func conflicts(list []edit, e edit) bool {
	for _, o := range list {
		if o == e {
			continue
		}
		if e.start < o.end && o.start < e.end || e.start == o.start {
			return true
		}
	}
	return false
}

// write writes the fixed files.
func (r *fixResult) write() error {
	for _, name := range r.names() {
		st, err := os.Stat(name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name, r.files[name].after, st.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

func (r *fixResult) names() []string {
	var names []string
	for name := range r.files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// writeDiffs prints the fixes as one unified diff, file by file.
func writeDiffs(w io.Writer, r *fixResult) error {
	for _, name := range r.names() {
		ff := r.files[name]
		if _, err := io.WriteString(w, unified(name, string(ff.before), string(ff.after))); err != nil {
			return err
		}
	}
	return nil
}

// unified returns the unified diff, with three lines of context, that turns
// a into b. The lines both share at the start and the end are set aside
// first, and the rest compared by longest common subsequence; a middle too
// large for that is shown as one replacement.
func unified(name, a, b string) string {
	if a == b {
		return ""
	}
	al, bl := splitLines(a), splitLines(b)
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	ops := diffLines(al[pre:len(al)-suf], bl[pre:len(bl)-suf])
	// A script over all lines: ' ' kept, '-' deleted, '+' inserted.
	type line struct {
		op   byte
		text string
	}
	var script []line
	for _, l := range al[:pre] {
		script = append(script, line{' ', l})
	}
	for _, op := range ops {
		script = append(script, line{op.op, op.text})
	}
	for _, l := range al[len(al)-suf:] {
		script = append(script, line{' ', l})
	}

	const ctx = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s (old)\n+++ %s (new)\n", name, name)
	for i := 0; i < len(script); {
		if script[i].op == ' ' {
			i++
			continue
		}
		// A hunk: from ctx lines before this change to ctx lines after
		// the last change that is at most 2*ctx lines away.
		start := max(i-ctx, 0)
		end := i
		for j := i; j < len(script); j++ {
			if script[j].op != ' ' {
				end = j
			} else if j-end > 2*ctx {
				break
			}
		}
		stop := min(end+ctx+1, len(script))
		aStart, bStart := 1, 1
		for _, l := range script[:start] {
			if l.op != '+' {
				aStart++
			}
			if l.op != '-' {
				bStart++
			}
		}
		aN, bN := 0, 0
		var body strings.Builder
		for _, l := range script[start:stop] {
			if l.op != '+' {
				aN++
			}
			if l.op != '-' {
				bN++
			}
			body.WriteByte(l.op)
			body.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
		}
		if aN == 0 {
			aStart--
		}
		if bN == 0 {
			bStart--
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n%s", aStart, aN, bStart, bN, body.String())
		i = stop
	}
	return out.String()
}

type diffOp struct {
	op   byte
	text string
}

// diffLines is a longest-common-subsequence diff of two short line lists.
func diffLines(a, b []string) []diffOp {
	var ops []diffOp
	if len(a)*len(b) > 4_000_000 {
		for _, l := range a {
			ops = append(ops, diffOp{'-', l})
		}
		for _, l := range b {
			ops = append(ops, diffOp{'+', l})
		}
		return ops
	}
	// lcs[i][j] is the length of the LCS of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i]})
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, diffOp{'+', b[j]})
			j++
		default:
			ops = append(ops, diffOp{'-', a[i]})
			i++
		}
	}
	return ops
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}
