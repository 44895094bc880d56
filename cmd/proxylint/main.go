// Command proxylint runs the proxylint checks on Go packages.
//
// Standalone:
//
//	proxylint [-json] [-<check>[=false]] [-<check>.<flag>=value] ./...
//
// exits 0 when the packages are clean, 3 when it reports findings, and 1 when
// a package could not be loaded or analysed. -fix applies the suggested fixes
// and -diff shows them instead; `proxylint help [check]` prints the docs.
//
// As a vet tool, with facts flowing between packages exactly as go vet
// schedules them:
//
//	go vet -vettool=$(command -v proxylint) ./...
//	go fix -fixtool=$(command -v proxylint) ./...
package main

import (
	"os"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/proxylint/proxylint/analyzers"
)

func main() {
	all := analyzers.All()
	if code, ok := standalone(os.Args[1:], all); ok {
		os.Exit(code)
	}
	// go vet and go fix (a single .cfg argument), -fix/-diff, help, -flags
	// and -V are exactly x/tools' multichecker protocol.
	multichecker.Main(all...)
}
