package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/internal/checkdoc"
)

const usageHead = `proxylint finds the leaks that took Go proxies down in production.

Usage:
  proxylint [flags] packages...         report findings
  proxylint -fix [flags] packages...    apply the suggested fixes, report what is left
  proxylint -diff [flags] packages...   show the suggested fixes as a unified diff
  proxylint lsp [flags]                 a language server for editors, on stdin and stdout
  proxylint help [check...]             this text, or a check's documentation
  proxylint version                     the version of this binary
  go vet -vettool=$(command -v proxylint) [flags] packages...
  go fix -fixtool=$(command -v proxylint) [flags] packages...
`

const usageTail = `
Examples:
  proxylint ./...                          every check on the module
  proxylint -logwriter -deadline ./...     only these checks
  proxylint -deadline=false ./...          every check but deadline
  proxylint -tags integration ./...        with build tags (-tags=integration works too)
  proxylint -format=sarif ./... > proxylint.sarif
  proxylint -fix ./...                     apply fixes; findings with no fix are still reported
  go vet -vettool=$(command -v proxylint) -tags integration -logwriter.tests ./...

Output: findings on standard output (text, JSON or SARIF); errors and the
summary of -fix on standard error. Text findings end with the check's name,
here and under go vet: it is what //lint:ignore CHECK reason names.

Exit status, the same for every -format (but -json, as go vet -json, exits 0 with findings):
  0  no finding remains (after -fix: every finding was fixed)
  3  findings remain (with -diff: any finding, since nothing was written;
     with -json: 0, as go vet -json)
  1  a package did not load or an analysis failed (even if there are findings)
  2  the command line is wrong
Under go vet and go fix, the go command sets the status (go vet: 1 on findings).

Flags -format, -test, -cpuprofile and -memprofile are for standalone runs:
go vet always includes test files and prints its own text or -json.

proxylint lsp publishes the findings of the package of each Go file the
editor opens or saves, with each suggested fix as a quick fix. It takes the
checks' flags, -tags and -test; the editor's settings (initializationOptions
or workspace/didChangeConfiguration: enable, disable and checks, as for the
golangci-lint plugin) apply on top. docs/editors.md has each editor's set-up.
`

// usage writes the command's help: what it does, the checks, the flags, the
// examples and the exit-status contract.
func usage(w io.Writer, fs *flag.FlagSet, all []*analysis.Analyzer) {
	fmt.Fprint(w, usageHead)
	fmt.Fprintf(w, "\nChecks (proxylint help <check> for one's documentation and flags):\n")
	for _, a := range all {
		fmt.Fprintf(w, "  %-14s %s\n", a.Name, checkdoc.Summary(a.Doc))
	}
	fmt.Fprintf(w, "\nFlags:\n")
	out := fs.Output()
	fs.SetOutput(w)
	fs.VisitAll(func(f *flag.Flag) {
		if isCheckFlag(all, f.Name) {
			return
		}
		printFlag(w, f)
	})
	fmt.Fprintf(w, "  -<check>, -<check>=false\n    \trun only the named checks, or all but these\n")
	fmt.Fprintf(w, "  -<check>.<flag>=value\n    \ta check's own setting (see proxylint help <check>)\n")
	fs.SetOutput(out)
	fmt.Fprint(w, usageTail)
}

func printFlag(w io.Writer, f *flag.Flag) {
	name, use := flag.UnquoteUsage(f)
	line := "  -" + f.Name
	if name != "" {
		line += " " + name
	}
	fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(use, "\n", "\n    \t"))
	if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "unset" && f.DefValue != "-1" {
		fmt.Fprintf(w, " (default %q)", f.DefValue)
	}
	fmt.Fprintln(w)
}

// help prints the usage, or the documentation of the named checks. It
// returns 2 for a name that is no check.
func help(w, stderr io.Writer, fs *flag.FlagSet, all []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		usage(w, fs, all)
		return 0
	}
	code := 0
	for i, name := range names {
		var a *analysis.Analyzer
		for _, c := range all {
			if c.Name == name {
				a = c
			}
		}
		if a == nil {
			fmt.Fprintf(stderr, "proxylint: no check named %q; proxylint help lists them\n", name)
			code = 2
			continue
		}
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s: %s\n", a.Name, strings.TrimSpace(a.Doc))
		fmt.Fprintf(w, "\nFlags:\n")
		printFlag(w, &flag.Flag{Name: a.Name, Usage: "run only this check (-" + a.Name + "=false: every check but this one)"})
		a.Flags.VisitAll(func(f *flag.Flag) {
			g := *f
			g.Name = a.Name + "." + f.Name
			printFlag(w, &g)
		})
		if a.URL != "" {
			fmt.Fprintf(w, "\nDocumentation: %s\n", a.URL)
		}
	}
	return code
}

// buildVersion is the module version of this binary and its Go version, from
// the build information the go command records.
func buildVersion() (version, goVersion, revision string) {
	version, goVersion = "(devel)", runtime.Version()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, goVersion, ""
	}
	if info.Main.Version != "" {
		version = info.Main.Version
	}
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision != "" && modified {
		revision += " (modified)"
	}
	return version, info.GoVersion, revision
}

// printVersion prints `proxylint version`.
func printVersion(w io.Writer) {
	v, gov, rev := buildVersion()
	fmt.Fprintf(w, "proxylint %s %s", v, gov)
	if rev != "" {
		fmt.Fprintf(w, " commit %s", rev)
	}
	fmt.Fprintln(w)
}

// printFullVersion prints the line of go vet's -V=full protocol: "name
// version V ... buildID=ID". The go command keys its cache of vet results
// on it: on the whole line for a release, on the buildID for a devel
// version. The ID is the hash of this executable, so any rebuild counts as
// a new tool.
func printFullVersion(w io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		return err
	}
	v, gov, _ := buildVersion()
	if v == "(devel)" {
		v = "devel"
	}
	_, err = fmt.Fprintf(w, "proxylint version %s %s buildID=%x\n", v, gov, sha256.Sum256(data))
	return err
}
