package main

import (
	"encoding/json"
	"flag"
	"os"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// vetUnit analyses the one package that go vet or go fix describes in
// cfgFile. The command line has been parsed already, whatever form the go
// command gave each flag (-tags x, -tags=x); unitchecker gets it back in one
// canonical form, with only the flags it knows. The findings carry their
// check's name, as in standalone text output, because go vet prints only the
// message.
func vetUnit(fs *flag.FlagSet, cfgFile string, all []*analysis.Analyzer) int {
	args := []string{os.Args[0]}
	fs.Visit(func(f *flag.Flag) {
		if toUnit[f.Name] || isCheckFlag(all, f.Name) {
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	os.Args = append(args, cfgFile)
	if os.Getenv("GOGC") == "" {
		// A unit is one short process: parse, type-check, analyse, write
		// the facts, exit. At the default GOGC the collector ran six
		// times on net/http, for heaps that the exit frees anyway: at
		// 400 that unit cost a fifth less CPU, and at 800 a go vet run
		// on caddy took 12 % less CPU again (28.5 to 25.0 s) for a peak
		// RSS of 137 instead of 109 MiB. The memory limit keeps a unit
		// with a large live heap, which GOGC=800 would let grow to nine
		// times that, near 1 GiB; a limit the user sets still wins.
		debug.SetGCPercent(800)
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(1 << 30)
		}
	}
	for _, a := range all {
		nameFindings(a)
	}
	if factsOnly(cfgFile) {
		skipFactless(all)
	}
	unitchecker.Main(all...) // exits
	return 1
}

// nameFindings makes every finding of check a end with "(check)".
func nameFindings(a *analysis.Analyzer) {
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		report := pass.Report
		pass.Report = func(d analysis.Diagnostic) {
			d.Message += " (" + a.Name + ")"
			report(d)
		}
		return run(pass)
	}
}

// factsOnly reports whether go vet runs the unit in cfgFile only for its
// facts: a dependency of the packages named, whose findings nobody prints.
func factsOnly(cfgFile string) bool {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return false // unitchecker reports it
	}
	var cfg struct{ VetxOnly bool }
	return json.Unmarshal(data, &cfg) == nil && cfg.VetxOnly
}

// skipFactless makes the checks of all that have no facts of their own do
// nothing. unitchecker runs, on a unit it needs only for facts, every
// analyzer that requires a fact pass, and throws its findings away: the
// checks built on passes/lifetime (logwriter, lostclose, poolcleanup,
// idletransport) would otherwise run in full on every dependency, the
// standard library included. Their passes still run for the checks that
// have facts; a check whose result another analyzer needs is kept.
func skipFactless(all []*analysis.Analyzer) {
	required := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		for _, req := range a.Requires {
			if !required[req] {
				required[req] = true
				visit(req)
			}
		}
	}
	for _, a := range all {
		visit(a)
	}
	for _, a := range all {
		if len(a.FactTypes) == 0 && a.ResultType == nil && !required[a] {
			a.Run = func(*analysis.Pass) (any, error) { return nil, nil }
		}
	}
}
