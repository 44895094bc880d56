// Command proxylint runs the proxylint checks on Go packages.
//
// One flag surface serves every way it runs:
//
//	proxylint [flags] packages...                  report findings
//	proxylint -fix [flags] packages...             apply suggested fixes, report the rest
//	proxylint -diff [flags] packages...            show the fixes as a unified diff
//	go vet -vettool=$(command -v proxylint) [flags] packages...
//	go fix -fixtool=$(command -v proxylint) [flags] packages...
//	proxylint lsp [flags]                          a language server on stdin and stdout
//	proxylint help [check...]
//	proxylint version
//
// Findings go to standard output, errors to standard error. The exit status
// is 0 when no finding remains, 3 when findings remain (except with -json,
// which like go vet -json exits 0 with findings), 1 when a package did not load or the analysis failed, and
// 2 for a bad command line. Under go vet and go fix, the go command sets the
// status. `proxylint help` prints the checks, the flags and this contract.
package main

import (
	"os"

	"github.com/proxylint/proxylint/analyzers"
)

func main() {
	os.Exit(dispatch(os.Args[1:], analyzers.All(), os.Stdout, os.Stderr))
}
