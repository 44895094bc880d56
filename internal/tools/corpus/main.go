// Command corpus runs the proxylint suite over checkouts of real
// repositories and prints, per repository, the package count, lines of Go,
// time, findings per check, packages that did not load, internal errors and
// panics. With -findings it also writes every finding, one a line, for
// triage.
//
//	go run ./internal/tools/corpus [-findings out.tsv] DIR...
//
// A DIR may be "std" for the Go standard library.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/proxylint/proxylint/analyzers"
)

func main() {
	findingsOut := flag.String("findings", "", "write every finding to this file (repo, position, check, message)")
	bin := flag.String("proxylint", "", "proxylint binary (default: built from this checkout)")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "proxylint-corpus")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if *bin == "" {
		*bin = filepath.Join(tmp, "proxylint")
		build := exec.Command("go", "build", "-o", *bin, "./cmd/proxylint")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			log.Fatal(err)
		}
	}
	// Each repository is linted from its own directory: a relative binary
	// path would name nothing there.
	if abs, err := filepath.Abs(*bin); err == nil {
		*bin = abs
	}
	if _, err := os.Stat(*bin); err != nil {
		log.Fatal(err)
	}
	var out *bufio.Writer
	if *findingsOut != "" {
		f, err := os.Create(*findingsOut)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		out = bufio.NewWriter(f)
		defer out.Flush()
	}

	var checks []string
	for _, a := range analyzers.All() {
		checks = append(checks, a.Name)
	}
	fmt.Printf("| repository | packages | lines | time | %s | not loaded | internal errors | panics |\n", strings.Join(checks, " | "))
	fmt.Printf("|---|---|---|---|%s---|---|---|\n", strings.Repeat("---|", len(checks)))
	for _, dir := range flag.Args() {
		r := lint(*bin, dir)
		row := []string{r.name, fmt.Sprint(r.packages), fmt.Sprint(r.lines), fmt.Sprintf("%.0f s", r.elapsed.Seconds())}
		for _, c := range checks {
			row = append(row, fmt.Sprint(r.perCheck[c]))
		}
		row = append(row, fmt.Sprint(r.notLoaded), fmt.Sprint(len(r.internal)), fmt.Sprint(r.panics))
		fmt.Printf("| %s |\n", strings.Join(row, " | "))
		for _, e := range r.internal {
			fmt.Fprintf(os.Stderr, "%s: internal error: %s\n", r.name, firstLine(e))
		}
		if out != nil {
			for _, f := range r.findings {
				fmt.Fprintf(out, "%s\t%s\n", r.name, f)
			}
		}
	}
}

type result struct {
	name               string
	packages, lines    int
	elapsed            time.Duration
	perCheck           map[string]int
	notLoaded, panics  int
	internal, findings []string
}

func lint(bin, dir string) result {
	r := result{name: filepath.Base(dir), perCheck: map[string]int{}}
	pattern := "./..."
	cmdDir := dir
	if dir == "std" {
		pattern, cmdDir = "std", "."
		r.name = "go standard library"
	}
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")

	list := exec.Command("go", "list", "-e", pattern)
	list.Dir, list.Env = cmdDir, env
	listErr := ""
	if b, err := list.Output(); err == nil {
		r.packages = len(strings.Fields(string(b)))
	} else {
		listErr = err.Error()
		if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
			listErr = firstLine(strings.TrimSpace(string(ee.Stderr)))
		}
	}
	root := cmdDir
	if dir == "std" {
		goroot, _ := exec.Command("go", "env", "GOROOT").Output()
		root = filepath.Join(strings.TrimSpace(string(goroot)), "src")
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	r.lines = countLines(root)

	cmd := exec.Command(bin, "-json", pattern)
	cmd.Dir, cmd.Env = cmdDir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			// Not run at all: say so rather than count no findings.
			log.Fatalf("%s: %v", dir, err)
		}
		// A module whose graph does not load (a refused dependency, a Go
		// version it needs) makes the linter fail before any package:
		// without this the row would read as a clean repository.
		if stdout.Len() == 0 {
			r.internal = append(r.internal, "linter failed: "+firstLine(strings.TrimSpace(stderr.String())))
		}
	}
	if r.packages == 0 && listErr != "" {
		r.internal = append(r.internal, "go list failed: "+listErr)
	}
	r.elapsed = time.Since(start)

	for _, line := range strings.Split(stderr.String(), "\n") {
		switch {
		case strings.Contains(line, "does not load"), strings.Contains(line, "was not analysed"):
			r.notLoaded++
		case strings.Contains(line, "panic"):
			r.panics++
		}
	}
	// The JSON tree: package -> check -> diagnostics, or {"error": ...}.
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil && stdout.Len() > 0 {
		r.internal = append(r.internal, "unreadable -json output: "+err.Error())
	}
	seen := map[string]bool{}
	for _, checks := range tree {
		for check, raw := range checks {
			var diags []struct{ Posn, Message string }
			if json.Unmarshal(raw, &diags) == nil {
				for _, d := range diags {
					posn := strings.TrimPrefix(d.Posn, root+string(filepath.Separator))
					key := posn + "\t" + check + "\t" + d.Message
					if !seen[key] {
						seen[key] = true
						r.perCheck[check]++
						r.findings = append(r.findings, key)
					}
				}
				continue
			}
			var e struct{ Error string }
			if json.Unmarshal(raw, &e) == nil && e.Error != "" && !benign(e.Error) {
				if strings.Contains(e.Error, "panicked") {
					r.panics++
				}
				r.internal = append(r.internal, e.Error)
			}
		}
	}
	slices.Sort(r.findings)
	return r
}

// benign reports the checker's notes that an analysis did not run on a
// package that did not type-check: counted as "not loaded", not as errors.
func benign(msg string) bool {
	return strings.Contains(msg, "analysis skipped due to errors in package") || strings.HasPrefix(msg, "failed prerequisites")
}

func countLines(root string) int {
	n := 0
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "vendor" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			if b, err := os.ReadFile(path); err == nil {
				n += bytes.Count(b, []byte("\n"))
			}
		}
		return nil
	})
	return n
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
