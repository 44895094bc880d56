package main

import (
	"flag"
	"os"

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
	for _, a := range all {
		nameFindings(a)
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
