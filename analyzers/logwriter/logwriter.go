package logwriter

import (
	_ "embed"
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/checkdoc"
	"github.com/proxylint/proxylint/passes/lifetime"
	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

//go:embed doc.go
var doc string

// Order is the check's place in the suite's lists (help, README, docs);
// internal/tools/suitegen reads it.
const Order = 1

// Analyzer is the logwriter check.
var Analyzer = &analysis.Analyzer{
	Name:     "logwriter",
	Doc:      checkdoc.Extract(doc, "logwriter"),
	URL:      checkdoc.URL("logwriter"),
	Requires: []*analysis.Analyzer{ssair.Analyzer, report.Analyzer, lifetime.Analyzer},
	Run:      run,
}

// includeTests is the -logwriter.tests flag.
var includeTests bool

func init() {
	Analyzer.Flags.BoolVar(&includeTests, "tests", false, "also report writers created in _test.go files")
}

// run asks the lifetime model for the goroutine-backed writers each function
// creates (a pipe writer a goroutine reads, a logrus writer, a writer whose
// constructor starts a goroutine) and reports those lost on a path that runs
// more than once.
func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	r.IncludeTests(includeTests)
	defer r.Finish()
	res := lifetime.Of(pass)
	if !res.HasLocalSummaries() {
		return nil, nil
	}
	c := &checker{pass: pass, r: r, res: res}
	for _, fn := range ssair.Of(pass).SrcFuncs() {
		if !includeTests && report.InTestFile(pass, fn.Pos()) {
			continue
		}
		c.checkFunc(fn)
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	r    *report.Reporter
	res  *lifetime.Result
}

func (c *checker) checkFunc(fn *ssa.Function) {
	var scope reqscope.Scope
	scoped := false
	for _, b := range c.res.Births(fn) {
		if b.Kind != lifetime.Writer {
			continue
		}
		if !scoped {
			scope, scoped = reqscope.Of(fn), true
		}
		if scope.Kind == reqscope.Once {
			continue
		}
		why, repeated := reqscope.RepeatedAt(scope, b.Instr)
		if b.Via != "" {
			// A callee that creates a writer and loses it on every call;
			// one of this package is reported where it creates it.
			if callee := b.Call.Call.StaticCallee(); callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == c.pass.Pkg {
				continue
			}
			if repeated {
				c.reportCall(b, why)
			}
			continue
		}
		f := c.res.FateOf(b)
		if len(f.Leaks) == 0 {
			continue
		}
		switch {
		case repeated:
			c.reportSource(fn, b, f, why)
		case f.Lost:
			// We do not know how often fn runs, but every run loses the
			// writer: nothing can ever close it.
			c.reportSource(fn, b, f, fmt.Sprintf("on every call of %s", reqscope.Name(fn)))
		}
	}
}
