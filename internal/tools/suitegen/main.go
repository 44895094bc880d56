// Command suitegen writes analyzers/suite_gen.go from the check folders
// under analyzers/. It is run by `go generate ./analyzers`, in that folder.
package main

import (
	"fmt"
	"os"

	"github.com/proxylint/proxylint/internal/suitegen"
)

func main() {
	src, err := suitegen.Generate(".", "github.com/proxylint/proxylint/analyzers")
	if err == nil {
		err = os.WriteFile(suitegen.FileName, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "suitegen:", err)
		os.Exit(1)
	}
}
