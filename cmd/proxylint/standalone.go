package main

import (
	"cmp"
	"fmt"
	"go/token"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

type options struct {
	format  string
	context int
	tests   bool
	tags    string
	fix     bool // apply (or, with diff, show) the suggested fixes
	diff    bool
}

// A finding is one diagnostic of a check, reported once however many
// variants of its package (with and without test files) produced it.
type finding struct {
	check  *analysis.Analyzer
	pkg    *packages.Package
	fset   *token.FileSet
	diag   analysis.Diagnostic
	posn   token.Position
	module string // the module of the finding's file when it is not a main module, as path@version
	fixed  bool   // -fix applied its first suggested fix
}

// run loads the packages, runs the checks, applies fixes when asked and
// writes the findings that remain in the chosen format. It returns the exit
// status of the contract in the usage text.
func run(patterns []string, checks []*analysis.Analyzer, opts options, stdout, stderr io.Writer) int {
	boundHeap()
	cfg := &packages.Config{Mode: loadMode, Tests: opts.tests}
	if opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "proxylint: %v\n", err)
		return 1
	}
	if len(pkgs) == 0 {
		fmt.Fprintf(stderr, "proxylint: %s matched no packages\n", strings.Join(patterns, " "))
		return 1
	}

	d := newDriver(pkgs, checks)
	c, err := openCache(checks, opts)
	if err != nil {
		fmt.Fprintf(stderr, "proxylint: cache: %v\n", err)
	}
	c.lookup(d)
	d.markNeeded()
	d.analyse()
	c.store(d)
	c.printStats(stderr, d)

	code := 0
	if printLoadErrors(stderr, pkgs) > 0 {
		code = 1
	}
	findings, failed := collect(d, stderr)
	if failed {
		code = 1
	}

	if opts.fix {
		fr, err := applyFixes(findings, rootFiles(pkgs))
		if err != nil {
			fmt.Fprintf(stderr, "proxylint: %v\n", err)
			code = 1
		}
		if opts.diff {
			for _, f := range findings {
				f.fixed = false // nothing was written
			}
			if err := writeDiffs(stdout, fr); err != nil {
				fmt.Fprintf(stderr, "proxylint: %v\n", err)
				code = 1
			}
		} else {
			if err := fr.write(); err != nil {
				fmt.Fprintf(stderr, "proxylint: %v\n", err)
				code = 1
			}
			fmt.Fprintf(stderr, "proxylint: -fix fixed %d of %d findings, in %d files\n", fr.applied, len(findings), len(fr.files))
		}
	}

	var left []*finding
	for _, f := range findings {
		if !f.fixed {
			left = append(left, f)
		}
	}
	switch {
	case opts.diff:
		// The patch is the output; the findings it does not fix are named
		// on stderr, so that the patch stays applicable as it is.
		for _, f := range left {
			if !f.hasFix() {
				fmt.Fprintf(stderr, "%s (no suggested fix)\n", f.textLine())
			}
		}
	case opts.format == "json":
		err = writeJSON(stdout, left)
	case opts.format == "sarif":
		err = writeSARIF(stdout, left, checks, ".")
	default:
		err = writeText(stdout, left, opts.context)
	}
	if err != nil {
		fmt.Fprintf(stderr, "proxylint: %v\n", err)
		return 1
	}
	if code == 0 && len(left) > 0 && opts.format != "json" {
		// -json follows go vet -json: the findings are the output, and
		// the status says only whether the run worked (tools that read
		// the JSON, such as the real-bug harness, rely on it).
		code = 3
	}
	return code
}

// collect gathers the root diagnostics once each (a file shared by a package
// and its test variant is analysed twice), sorted by position, and prints
// the internal errors of the analysis. Analyses skipped because their
// package does not load are not errors of their own: printLoadErrors has
// named the package and its error already, and the names of the passes the
// checks build on mean nothing to a user.
func collect(d *driver, stderr io.Writer) (list []*finding, failed bool) {
	type key struct {
		posn    token.Position
		check   string
		message string
	}
	seen := map[key]bool{}
	modules := map[string]*packages.Module{} // file name -> module
	for _, u := range d.units {
		for _, name := range u.pkg.CompiledGoFiles {
			modules[name] = u.pkg.Module
		}
	}
	for _, line := range d.errorLines() {
		fmt.Fprintln(stderr, line)
		failed = true
	}
	for _, u := range d.roots {
		diags, fset := u.diags, d.fset
		if diags == nil { // not analysed in this run, nor kept by the language server
			diags, fset = u.cached.diags, u.cached.fset
		}
		for _, a := range u.order {
			for _, diag := range diags[a] {
				posn := fset.Position(diag.Pos)
				k := key{posn, a.Name, diag.Message}
				if seen[k] {
					continue
				}
				seen[k] = true
				list = append(list, &finding{check: a, pkg: u.pkg, fset: fset, diag: diag, posn: posn})
			}
		}
	}
	for _, f := range list {
		if m := modules[f.fset.PositionFor(f.diag.Pos, false).Filename]; m != nil && !m.Main {
			f.module = m.Path
			if m.Version != "" {
				f.module += "@" + m.Version
			}
		}
	}
	slices.SortFunc(list, func(a, b *finding) int {
		return cmp.Or(cmp.Compare(a.posn.Filename, b.posn.Filename), cmp.Compare(a.posn.Line, b.posn.Line),
			cmp.Compare(a.posn.Column, b.posn.Column), cmp.Compare(a.check.Name, b.check.Name),
			cmp.Compare(a.diag.Message, b.diag.Message))
	})
	return list, failed
}

// rootFiles are the files -fix may change: the Go files of the packages
// named on the command line that belong to a main module.
func rootFiles(pkgs []*packages.Package) map[string]bool {
	files := map[string]bool{}
	for _, p := range pkgs {
		if p.Module != nil && !p.Module.Main {
			continue
		}
		for _, name := range p.GoFiles {
			files[name] = true
		}
	}
	return files
}

func (f *finding) hasFix() bool { return len(f.diag.SuggestedFixes) > 0 }

// textLine is a finding as a line of text: position, message and check,
// and the module when the file lies outside the main modules.
func (f *finding) textLine() string {
	suffix := f.check.Name
	if f.module != "" {
		suffix += "; in module " + f.module
	}
	return fmt.Sprintf("%s: %s (%s)", f.posn, f.diag.Message, suffix)
}

// writeText prints one line per finding, with its context lines if asked.
func writeText(w io.Writer, list []*finding, context int) error {
	for _, f := range list {
		if _, err := fmt.Fprintln(w, f.textLine()); err != nil {
			return err
		}
		for _, rel := range f.diag.Related {
			fmt.Fprintf(w, "\t%s: %s\n", f.fset.Position(rel.Pos), rel.Message)
		}
		if context >= 0 {
			printContext(w, f.posn, context)
		}
	}
	return nil
}

// printContext prints the lines around a finding.
func printContext(w io.Writer, posn token.Position, context int) {
	data, err := os.ReadFile(posn.Filename)
	if err != nil {
		return
	}
	lines := strings.Split(string(data), "\n")
	for i := max(posn.Line-context, 1); i <= min(posn.Line+context, len(lines)); i++ {
		fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
	}
}

// printLoadErrors prints one line per package that could not be loaded or
// type-checked, naming the package and its first error, and returns how many
// such packages there were. Dependencies' errors are reported only through
// the packages that import them.
func printLoadErrors(w io.Writer, pkgs []*packages.Package) int {
	n := 0
	seen := map[string]bool{}
	for _, p := range pkgs {
		if len(p.Errors) == 0 {
			continue
		}
		more := ""
		if len(p.Errors) > 1 {
			more = fmt.Sprintf(" (and %d more errors)", len(p.Errors)-1)
		}
		line := fmt.Sprintf("proxylint: package %s does not load: %v%s", p.PkgPath, p.Errors[0], more)
		if seen[line] {
			continue // the package and its test variant
		}
		seen[line] = true
		n++
		fmt.Fprintln(w, line)
	}
	// A package whose dependency does not load is not analysed either (its
	// imports cannot be type-checked): say so, naming the dependency,
	// unless that dependency is itself one of the packages asked for and
	// named above.
	roots := map[string]bool{}
	for _, p := range pkgs {
		roots[p.ID] = true
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			continue
		}
		if bad := brokenDep(p, map[string]bool{}); bad != nil && !roots[bad.ID] {
			line := fmt.Sprintf("proxylint: package %s was not analysed: its dependency %s does not load: %v", p.PkgPath, bad.PkgPath, bad.Errors[0])
			if seen[line] {
				continue
			}
			seen[line] = true
			n++
			fmt.Fprintln(w, line)
		}
	}
	return n
}

// brokenDep returns a transitive import of p that has errors, or nil.
func brokenDep(p *packages.Package, seen map[string]bool) *packages.Package {
	for _, imp := range p.Imports {
		if seen[imp.ID] {
			continue
		}
		seen[imp.ID] = true
		if len(imp.Errors) > 0 {
			return imp
		}
		if bad := brokenDep(imp, seen); bad != nil {
			return bad
		}
	}
	return nil
}

// startProfiles starts the CPU profile and returns what stops it and writes
// the heap profile.
func startProfiles(cpu, mem string) (stop func(), err error) {
	stop = func() {}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return stop, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return stop, err
		}
		stop = func() { pprof.StopCPUProfile(); f.Close() }
	}
	if mem != "" {
		cpuStop := stop
		stop = func() {
			cpuStop()
			f, err := os.Create(mem)
			if err != nil {
				fmt.Fprintf(os.Stderr, "proxylint: %v\n", err)
				return
			}
			defer f.Close()
			if err := pprof.WriteHeapProfile(f); err != nil {
				fmt.Fprintf(os.Stderr, "proxylint: %v\n", err)
			}
		}
	}
	return stop, nil
}
