package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// dispatch parses the command line once, with every flag of every mode, and
// runs the mode it names: help, version, the go vet protocol (-flags, -V=full,
// a unit's .cfg file) or a standalone run. It returns the exit status.
func dispatch(args []string, all []*analysis.Analyzer, stdout, stderr io.Writer) int {
	var s settings
	fs := newFlagSet(all, &s, stderr)
	fs.Usage = func() {}
	if len(args) > 0 {
		switch args[0] {
		case "help":
			return help(stdout, stderr, fs, all, args[1:])
		case "lsp":
			if err := fs.Parse(args[1:]); err != nil {
				fmt.Fprintf(stderr, "proxylint: run 'proxylint help' for the flags\n")
				return 2
			}
			if fs.NArg() > 0 {
				fmt.Fprintf(stderr, "proxylint: lsp takes flags, not packages: the editor says which files to analyse\n")
				return 2
			}
			return profiled(&s, stderr, func() int { return serveLSP(all, &s, stderr) })
		case "version":
			if len(args) > 1 {
				fmt.Fprintf(stderr, "proxylint: version takes no arguments\n")
				return 2
			}
			printVersion(stdout)
			return 0
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs, all)
			return 0
		}
		fmt.Fprintf(stderr, "proxylint: run 'proxylint help' for the flags\n")
		return 2
	}
	switch {
	case s.printFlags:
		if err := printFlags(stdout, fs, all); err != nil {
			fmt.Fprintf(stderr, "proxylint: %v\n", err)
			return 1
		}
		return 0
	case s.version == "full":
		if err := printFullVersion(stdout); err != nil {
			fmt.Fprintf(stderr, "proxylint: %v\n", err)
			return 1
		}
		return 0
	case s.version != "":
		printVersion(stdout)
		return 0
	}

	rest := fs.Args()
	if len(rest) == 1 && isUnitConfig(rest[0]) {
		return vetUnit(fs, rest[0], all)
	}
	if len(rest) == 0 {
		fmt.Fprintf(stderr, "usage: proxylint [flags] packages...\nRun 'proxylint help' for the checks, the flags and examples.\n")
		return 2
	}
	if s.jsonOut {
		s.format = "json"
	}
	switch s.format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(stderr, "proxylint: -format must be text, json or sarif, not %q\n", s.format)
		return 2
	}
	if s.diff && s.format != "text" {
		fmt.Fprintf(stderr, "proxylint: -diff prints a patch; it does not combine with -format=%s (use -fix -format=%s to apply the fixes and list what is left)\n", s.format, s.format)
		return 2
	}
	if s.context >= 0 && s.format != "text" {
		fmt.Fprintf(stderr, "proxylint: -c shows context in text output only, not with -format=%s\n", s.format)
		return 2
	}
	for _, p := range rest {
		if strings.HasPrefix(p, "-") {
			fmt.Fprintf(stderr, "proxylint: flag %s after the packages; put flags first\n", p)
			return 2
		}
	}

	checks := selectChecks(all, s.enabled)
	return profiled(&s, stderr, func() int {
		return run(rest, checks, options{
			format:  s.format,
			context: s.context,
			tests:   testsWanted(&s, checks),
			tags:    s.tags,
			fix:     s.fix || s.diff,
			diff:    s.diff,
		}, stdout, stderr)
	})
}

// profiled runs f with the CPU and heap profiles the flags ask for.
func profiled(s *settings, stderr io.Writer, f func() int) int {
	stop, err := startProfiles(s.cpuprofile, s.memprofile)
	if err != nil {
		fmt.Fprintf(stderr, "proxylint: %v\n", err)
		return 1
	}
	defer stop()
	return f()
}

// isUnitConfig reports whether arg is the configuration file go vet and go
// fix hand a vet tool for one package.
func isUnitConfig(arg string) bool {
	if !strings.HasSuffix(arg, ".cfg") {
		return false
	}
	st, err := os.Stat(arg)
	return err == nil && st.Mode().IsRegular()
}
