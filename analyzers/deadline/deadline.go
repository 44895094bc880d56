package deadline

import (
	_ "embed"
	"fmt"
	"go/token"
	"path/filepath"

	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 8

// Analyzer is the deadline check.
var Analyzer = &analysis.Analyzer{
	Name:      "deadline",
	Doc:       checkdoc.Extract(doc, "deadline"),
	URL:       checkdoc.URL("deadline"),
	Requires:  []*analysis.Analyzer{ssair.Analyzer, report.Analyzer, lifetime.Analyzer},
	FactTypes: []analysis.Fact{new(serverParams), new(armsDeadline), new(relays), new(handshakes)},
	Run:       run,
}

// Flags: each part of the check can be turned off.
var (
	checkConn   bool
	checkServer bool
)

func init() {
	Analyzer.Flags.BoolVar(&checkConn, "conn", true, "report copies between connections and tunnel handshakes with no deadline armed")
	Analyzer.Flags.BoolVar(&checkServer, "server", true, "report served http.Server values without header and idle timeouts, and http.ListenAndServe-style helpers")
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	defer r.Finish()
	if checkServer {
		runServer(pass, r)
	}
	if checkConn {
		runConn(pass, r)
	}
	return nil, nil
}

func posString(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	if !p.IsValid() {
		return "?"
	}
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
