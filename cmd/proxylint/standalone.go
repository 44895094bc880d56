package main

import (
	"cmp"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// delegated are the flags whose handling is left to x/tools' multichecker.
var delegated = []string{"fix", "diff", "flags", "V"}

// standalone runs the report-only standalone mode and returns its exit code.
// ok is false when the command line belongs to the multichecker protocol
// (vet and fix tool invocations, -fix, -diff, help, -flags, -V).
func standalone(args []string, all []*analysis.Analyzer) (code int, ok bool) {
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			if a == "help" || strings.HasSuffix(a, ".cfg") {
				return 0, false
			}
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if slices.Contains(delegated, name) {
			return 0, false
		}
	}

	fs := flag.NewFlagSet("proxylint", flag.ContinueOnError)
	jsonOut := fs.Bool("json", false, "emit JSON output (the same as -format=json)")
	format := fs.String("format", "text", "output format: text, json (x/tools' JSON tree) or sarif (SARIF 2.1.0)")
	context := fs.Int("c", -1, "display offending line with this many lines of context")
	tests := fs.Bool("test", true, "also analyse test files and test packages")
	tags := fs.String("tags", "", "comma-separated build tags")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	memprofile := fs.String("memprofile", "", "write a heap profile to this file")
	enabled := map[*analysis.Analyzer]*triState{}
	for _, a := range all {
		ts := new(triState)
		enabled[a] = ts
		fs.Var(ts, a.Name, "enable the "+a.Name+" check")
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: proxylint [flags] packages...\n\nRun 'proxylint help' for the checks and their flags.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2, true
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 1, true
	}

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "proxylint: %v\n", err)
			return 1, true
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "proxylint: %v\n", err)
			return 1, true
		}
		defer pprof.StopCPUProfile()
	}
	if *memprofile != "" {
		defer writeHeapProfile(*memprofile)
	}

	if *jsonOut {
		*format = "json"
	}
	switch *format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(os.Stderr, "proxylint: -format must be text, json or sarif, not %q\n", *format)
		return 2, true
	}
	return run(fs.Args(), selectChecks(all, enabled), options{format: *format, context: *context, tests: *tests, tags: *tags}, os.Stdout, os.Stderr), true
}

type options struct {
	format  string
	context int
	tests   bool
	tags    string
}

func run(patterns []string, checks []*analysis.Analyzer, opts options, stdout, stderr io.Writer) int {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Tests: opts.tests}
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

	code := 0
	if n := printLoadErrors(stderr, pkgs); n > 0 {
		code = 1
	}

	graph, err := checker.Analyze(checks, pkgs, nil)
	if err != nil {
		fmt.Fprintf(stderr, "proxylint: %v\n", err)
		return 1
	}

	switch opts.format {
	case "json":
		// As with x/tools' drivers, -json exits 0 unless something failed.
		if err := graph.PrintJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "proxylint: %v\n", err)
			return 1
		}
		return code
	case "sarif":
		n, err := writeSARIF(stdout, graph, checks, ".")
		if err != nil {
			fmt.Fprintf(stderr, "proxylint: %v\n", err)
			return 1
		}
		if code == 0 && n > 0 {
			code = 3
		}
		return code
	}
	findings, failed := printText(stderr, graph, opts.context)
	if failed {
		code = 1
	}
	if code == 0 && findings > 0 {
		code = 3
	}
	return code
}

// printText prints the root diagnostics once each (a file shared by a
// package and its test variant is analysed twice), sorted by position, with
// the check's name so that it can be suppressed, and the internal errors of
// any action. It returns the number of findings and whether anything failed.
func printText(w io.Writer, graph *checker.Graph, context int) (findings int, failed bool) {
	type finding struct {
		posn  token.Position
		check string
		msg   string
	}
	seen := map[finding]bool{}
	var list []finding
	for act := range graph.All() {
		if act.Err != nil {
			if !isSkip(act.Err) {
				fmt.Fprintf(w, "proxylint: internal error: %s: %v\n", act, act.Err)
				failed = true
			}
			continue
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			f := finding{act.Package.Fset.Position(d.Pos), act.Analyzer.Name, d.Message}
			if !seen[f] {
				seen[f] = true
				list = append(list, f)
			}
		}
	}
	slices.SortFunc(list, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.posn.Filename, b.posn.Filename), cmp.Compare(a.posn.Line, b.posn.Line),
			cmp.Compare(a.posn.Column, b.posn.Column), cmp.Compare(a.check, b.check))
	})
	for _, f := range list {
		fmt.Fprintf(w, "%s: %s (%s)\n", f.posn, f.msg, f.check)
		if context >= 0 {
			printContext(w, f.posn, context)
		}
	}
	return len(list), failed
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
	for _, p := range pkgs {
		if len(p.Errors) == 0 {
			continue
		}
		n++
		more := ""
		if len(p.Errors) > 1 {
			more = fmt.Sprintf(" (and %d more errors)", len(p.Errors)-1)
		}
		fmt.Fprintf(w, "proxylint: package %s does not load: %v%s\n", p.PkgPath, p.Errors[0], more)
	}
	return n
}

// isSkip reports the checker's note that an analyzer did not run on a package
// that failed to type-check (directly, or through a pass it requires):
// printLoadErrors has said so already.
func isSkip(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "analysis skipped due to errors in package") || strings.HasPrefix(msg, "failed prerequisites")
}

// selectChecks applies the -<check> flags as x/tools' analysisflags does:
// any -<check> set true runs only those checks; otherwise -<check>=false
// drops checks from the full suite.
func selectChecks(all []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	only := false
	for _, ts := range enabled {
		only = only || *ts == setTrue
	}
	var keep []*analysis.Analyzer
	for _, a := range all {
		if only && *enabled[a] == setTrue || !only && *enabled[a] != setFalse {
			keep = append(keep, a)
		}
	}
	return keep
}

func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "proxylint: %v\n", err)
		return
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "proxylint: %v\n", err)
	}
}

// triState is a boolean flag that remembers whether it was set, as
// x/tools' analysisflags does for the -<check> flags.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }

func (ts *triState) String() string {
	switch *ts {
	case setTrue:
		return "true"
	case setFalse:
		return "false"
	}
	return "unset"
}

func (ts *triState) Set(value string) error {
	switch strings.ToLower(value) {
	case "true", "1", "t":
		*ts = setTrue
	case "false", "0", "f":
		*ts = setFalse
	default:
		return fmt.Errorf("want true or false, not %q", value)
	}
	return nil
}
