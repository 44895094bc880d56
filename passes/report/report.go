// Package report is the one way proxylint checks report findings. It applies
// the suite's suppression rules, so that they hold the same whether the checks
// run standalone, under go vet -vettool, or inside golangci-lint:
//
//   - findings in generated files (a "// Code generated ... DO NOT EDIT." line)
//     are dropped, and so are findings in _test.go files unless the check
//     asks for them (Reporter.IncludeTests);
//   - //lint:ignore CHECK[,CHECK...] REASON, written on the line of a finding
//     or on the line before the statement, declaration or expression holding
//     it, drops that check's findings there;
//   - //lint:file-ignore CHECK[,CHECK...] REASON anywhere in a file drops the
//     check's findings in the whole file.
//
// A directive without a reason, and a //lint:ignore that suppresses nothing,
// are reported by the check they name, so that suppression cannot rot silently.
// The directive syntax and generated-file detection are staticcheck's.
package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"honnef.co/go/tools/analysis/lint"
)

// Analyzer provides the package's suppression index, built lazily on the
// first finding or directive check.
var Analyzer = &analysis.Analyzer{
	Name:             "proxylintreport",
	Doc:              "indexes //lint:ignore directives and generated files for proxylint checks",
	URL:              "https://pkg.go.dev/github.com/proxylint/proxylint/passes/report",
	Run:              func(pass *analysis.Pass) (any, error) { return &index{pass: pass}, nil },
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*index](),
}

type directive struct {
	comment   *ast.Comment
	file      string
	line      int
	fileLevel bool
	checks    []string
	reason    string
	pos, end  token.Pos // the node the directive is attached to, if any

	mu   sync.Mutex
	used map[string]bool // check name -> suppressed something
}

func (d *directive) names(check string) bool {
	return slices.Contains(d.checks, check) || slices.Contains(d.checks, "*")
}

type index struct {
	pass *analysis.Pass

	dirsOnce sync.Once
	dirs     []*directive

	genOnce   sync.Once
	generated map[string]bool
}

func (ix *index) directives() []*directive {
	ix.dirsOnce.Do(func() {
		pass := ix.pass
		var files []*ast.File
		for _, f := range pass.Files {
			if hasDirective(f) {
				files = append(files, f)
			}
		}
		if len(files) == 0 {
			return
		}
		for _, ld := range lint.ParseDirectives(files, pass.Fset) {
			var fileLevel bool
			switch ld.Command {
			case "ignore":
			case "file-ignore":
				fileLevel = true
			default:
				continue
			}
			p := pass.Fset.Position(ld.Directive.Pos())
			d := &directive{
				comment:   ld.Directive,
				file:      p.Filename,
				line:      p.Line,
				fileLevel: fileLevel,
				used:      map[string]bool{},
			}
			if len(ld.Arguments) > 0 {
				d.checks = strings.Split(ld.Arguments[0], ",")
				d.reason = strings.TrimSpace(strings.Join(ld.Arguments[1:], " "))
			}
			if ld.Node != nil {
				d.pos, d.end = ld.Node.Pos(), ld.Node.End()
			}
			ix.dirs = append(ix.dirs, d)
		}
	})
	return ix.dirs
}

func hasDirective(f *ast.File) bool {
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//lint:") {
				return true
			}
		}
	}
	return false
}

func (ix *index) isGenerated(file string) bool {
	ix.genOnce.Do(func() {
		// A file is generated when its parsed comments say so
		// (ast.IsGenerated: a "// Code generated ... DO NOT EDIT." line
		// before the package clause); nothing is read from disk. Files are
		// keyed by their own name, not by //line directives: cgo's output
		// is generated, but a finding in it is placed in the user's file.
		ix.generated = map[string]bool{}
		for _, f := range ix.pass.Files {
			if ast.IsGenerated(f) {
				ix.generated[ix.pass.Fset.PositionFor(f.Pos(), false).Filename] = true
			}
		}
	})
	return ix.generated[file]
}

// A Reporter reports one check's findings on one package.
type Reporter struct {
	pass  *analysis.Pass
	ix    *index
	tests bool
}

// IncludeTests makes the reporter keep findings in _test.go files, which it
// drops by default: a leak in a test is no production incident.
func (r *Reporter) IncludeTests(on bool) { r.tests = on }

// New returns the reporter for pass, whose analyzer must Require Analyzer.
// Call Finish when the check is done with the package.
func New(pass *analysis.Pass) *Reporter {
	return &Reporter{pass: pass, ix: pass.ResultOf[Analyzer].(*index)}
}

// Report reports d unless it falls in a generated file or is suppressed by a
// directive naming the check.
func (r *Reporter) Report(d analysis.Diagnostic) {
	p := r.pass.Fset.Position(d.Pos)
	if r.ix.isGenerated(p.Filename) || !r.tests && strings.HasSuffix(p.Filename, "_test.go") {
		return
	}
	check := r.pass.Analyzer.Name
	for _, dir := range r.ix.directives() {
		if dir.file != p.Filename || !dir.names(check) || dir.reason == "" {
			continue
		}
		if dir.fileLevel || dir.line == p.Line || (dir.pos <= d.Pos && d.Pos < dir.end) {
			dir.mu.Lock()
			dir.used[check] = true
			dir.mu.Unlock()
			return
		}
	}
	if d.Category == "" {
		d.Category = check
	}
	r.pass.Report(d)
}

// InTestFile reports whether pos lies in a _test.go file. Most checks do
// not report there: a leak in a test is no production incident.
func InTestFile(pass *analysis.Pass, pos token.Pos) bool {
	f := pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// Reportf reports a finding at pos with a formatted message.
func (r *Reporter) Reportf(pos token.Pos, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Finish reports the directives naming this check that are malformed or that
// suppressed none of its findings in this package.
func (r *Reporter) Finish() {
	check := r.pass.Analyzer.Name
	for _, dir := range r.ix.directives() {
		if !slices.Contains(dir.checks, check) || r.ix.isGenerated(dir.file) {
			continue
		}
		kind := "ignore"
		if dir.fileLevel {
			kind = "file-ignore"
		}
		if dir.reason == "" {
			r.pass.Report(analysis.Diagnostic{
				Pos:      dir.comment.Pos(),
				End:      dir.comment.End(),
				Category: check,
				Message:  fmt.Sprintf("//lint:%s directive needs a reason: //lint:%s %s <why this finding does not apply>", kind, kind, strings.Join(dir.checks, ",")),
			})
			continue
		}
		dir.mu.Lock()
		used := dir.used[check]
		dir.mu.Unlock()
		if !used {
			r.pass.Report(analysis.Diagnostic{
				Pos:      dir.comment.Pos(),
				End:      dir.comment.End(),
				Category: check,
				Message:  fmt.Sprintf("this //lint:%s directive suppresses no %s finding; remove %s from it", kind, check, check),
			})
		}
	}
}
