package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// settings are the values of the command line, the same in every mode.
type settings struct {
	format     string
	jsonOut    bool
	context    int
	fix, diff  bool
	tags       string
	test       triState
	cpuprofile string
	memprofile string
	version    versionFlag
	printFlags bool
	enabled    map[*analysis.Analyzer]*triState
}

// The driver's flags that go vet and go fix forward to a vet tool, besides
// the checks' own: -flags tells the go command about exactly these. The go
// command itself supplies -json, -fix and -diff, and handles -c.
var forwarded = map[string]bool{"tags": true, "json": true, "c": true, "diff": true, "V": true, "flags": true}

// The flags whose meaning unitchecker shares, passed on to it in vet mode
// (besides the checks' flags). -tags needs nothing there: the go command
// has already chosen the files by their build tags.
var toUnit = map[string]bool{"json": true, "c": true, "fix": true, "diff": true}

// newFlagSet declares every flag of the command on one FlagSet.
func newFlagSet(all []*analysis.Analyzer, s *settings, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("proxylint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.format, "format", "text", "output `format`: text, json (the JSON tree of go vet -json) or sarif (SARIF 2.1.0)")
	fs.BoolVar(&s.jsonOut, "json", false, "the same as -format=json")
	fs.IntVar(&s.context, "c", -1, "with text output, show each finding's line with `n` lines of context")
	fs.BoolVar(&s.fix, "fix", false, "apply the first suggested fix of each finding, and report the findings left")
	fs.BoolVar(&s.diff, "diff", false, "show the suggested fixes as a unified diff instead of applying them")
	fs.StringVar(&s.tags, "tags", "", "comma-separated build `tags`, as for go build")
	fs.Var(&s.test, "test", "also load test files and test packages (default: only when a check's -<check>.tests flag is set)")
	fs.StringVar(&s.cpuprofile, "cpuprofile", "", "write a CPU profile to `file`")
	fs.StringVar(&s.memprofile, "memprofile", "", "write a heap profile to `file`")
	fs.Var(&s.version, "V", "print the version and exit (-V=full: the line go vet asks for)")
	fs.BoolVar(&s.printFlags, "flags", false, "print the flags go vet and go fix may pass on, in JSON")
	s.enabled = map[*analysis.Analyzer]*triState{}
	for _, a := range all {
		ts := new(triState)
		s.enabled[a] = ts
		fs.Var(ts, a.Name, "run the "+a.Name+" check (-"+a.Name+"=false: all checks but this one)")
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	return fs
}

// isCheckFlag reports whether name is a check's flag: -<check> or
// -<check>.<option>.
func isCheckFlag(all []*analysis.Analyzer, name string) bool {
	check, _, _ := strings.Cut(name, ".")
	for _, a := range all {
		if a.Name == check {
			return true
		}
	}
	return false
}

// printFlags writes what go vet reads from `-flags`: the flags it may pass
// on to the tool, with whether each is boolean.
func printFlags(w io.Writer, fs *flag.FlagSet, all []*analysis.Analyzer) error {
	type jsonFlag struct {
		Name  string
		Bool  bool
		Usage string
	}
	var list []jsonFlag
	fs.VisitAll(func(f *flag.Flag) {
		if !forwarded[f.Name] && !isCheckFlag(all, f.Name) {
			return
		}
		b, ok := f.Value.(interface{ IsBoolFlag() bool })
		list = append(list, jsonFlag{f.Name, ok && b.IsBoolFlag(), f.Usage})
	})
	data, err := json.MarshalIndent(list, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// testsWanted reports whether test files must be loaded: -test says so, or,
// without it, some check's tests flag is set.
func testsWanted(s *settings, checks []*analysis.Analyzer) bool {
	if s.test != unset {
		return s.test == setTrue
	}
	for _, a := range checks {
		if f := a.Flags.Lookup("tests"); f != nil && f.Value.String() == "true" {
			return true
		}
	}
	return false
}

// selectChecks applies the -<check> flags as go vet does: any -<check> set
// true runs only those checks; otherwise -<check>=false drops checks from
// the full suite.
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

// triState is a boolean flag that remembers whether it was set.
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

// versionFlag is -V (the version for people) and -V=full (the line go vet
// and go fix ask a tool for, to key their caches).
type versionFlag string

func (v *versionFlag) IsBoolFlag() bool { return true }
func (v *versionFlag) String() string   { return string(*v) }
func (v *versionFlag) Set(s string) error {
	switch s {
	case "true", "full":
		*v = versionFlag(s)
		return nil
	}
	return fmt.Errorf("want -V or -V=full, not -V=%s", s)
}
