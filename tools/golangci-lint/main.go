// Command golangci-lint is golangci-lint v2 with the proxylint module plugin
// compiled in: what `golangci-lint custom` would build from .custom-gcl.yml,
// built with nothing but the Go module proxy (no git clone):
//
//	go build -C tools/golangci-lint -o "$(go env GOPATH)/bin/golangci-lint-proxylint" .
//
// It lives in its own module so that golangci-lint's dependencies stay out
// of proxylint's.
package main

import (
	"os"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/proxylint/proxylint/plugin"
)

func main() {
	info := commands.BuildInfo{Version: "v2.15.0-proxylint", Commit: "?", Date: "(unknown)", GoVersion: "unknown"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.GoVersion = bi.GoVersion
	}
	if err := commands.Execute(info); err != nil {
		// The command has printed the error already.
		os.Exit(exitcodes.Failure)
	}
}
