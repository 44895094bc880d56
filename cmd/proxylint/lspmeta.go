package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/tools/go/packages"
)

// Loading a package's metadata runs go list over its import graph, which
// takes longer than analysing the package again. A save rarely changes what
// go list says, so the language server keeps each directory's load and
// checks, before a save's analysis, what the load depends on that a save
// can change: the go.mod and go.sum files of the main modules, the Go files
// in the directories of the packages people edit (those of the main modules
// and of modules replaced by a directory), and what go list reads of each of
// those files (its build constraints, package clause, imports and //go:embed
// lines). A package that uses cgo is loaded again on any change to its
// files, since go list generates its compiled files from their bodies.
// Anything else that changes a load (the environment, GOFLAGS, a go.work
// file) needs a new server; editors restart theirs for less.

// A metaEntry is one directory's load and what it depends on.
type metaEntry struct {
	roots []*packages.Package // as loaded; each run gets a copy (driver.go adds errors to packages)
	files map[string]fileStamp
	dirs  map[string][]string // the .go files of each editable package's directory
	cgo   map[string]bool     // files of packages that use cgo: any change reloads
}

type fileStamp struct {
	size    int64
	modTime time.Time
	header  [sha256.Size]byte
}

// loadMeta returns the metadata of the package in dir, from the last load
// when nothing it depends on has changed, and whether it was loaded afresh.
func (s *session) loadMeta(dir string) ([]*packages.Package, bool, error) {
	if e := s.meta[dir]; e != nil && e.valid() {
		return clonePackages(e.roots), false, nil
	}
	cfg := &packages.Config{Mode: loadMode, Tests: s.opts.tests, Dir: dir}
	if s.opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + s.opts.tags}
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return nil, true, err
	}
	if e := newMetaEntry(pkgs); e != nil {
		s.meta[dir] = e
	} else {
		delete(s.meta, dir)
	}
	return clonePackages(pkgs), true, nil
}

// editable reports whether people edit the files of p: a package of a main
// module or of a module replaced by a directory.
func editable(p *packages.Package) bool {
	m := p.Module
	return m != nil && (m.Main || m.Replace != nil && m.Replace.Version == "")
}

// newMetaEntry records what the load of roots depends on, or returns nil
// when it cannot (a file that cannot be read: the next save loads again).
func newMetaEntry(roots []*packages.Package) *metaEntry {
	e := &metaEntry{roots: roots, files: map[string]fileStamp{}, dirs: map[string][]string{}, cgo: map[string]bool{}}
	ok := true
	packages.Visit(roots, nil, func(p *packages.Package) {
		if !ok {
			return
		}
		if m := p.Module; m != nil && m.Main && m.GoMod != "" {
			for _, name := range []string{m.GoMod, strings.TrimSuffix(m.GoMod, ".mod") + ".sum"} {
				if _, seen := e.files[name]; !seen {
					st, err := stampOf(name, false)
					if err != nil && !os.IsNotExist(err) {
						ok = false
					}
					e.files[name] = st // a missing go.sum is a zero stamp
				}
			}
		}
		if !editable(p) {
			return
		}
		dir := packageDir(p)
		if dir == "" {
			return
		}
		if _, seen := e.dirs[dir]; !seen {
			names, err := goFilesIn(dir)
			if err != nil {
				ok = false
				return
			}
			e.dirs[dir] = names
		}
		usesCgo := !slices.Equal(p.GoFiles, p.CompiledGoFiles)
		for _, group := range [][]string{p.GoFiles, p.IgnoredFiles} {
			for _, name := range group {
				if !strings.HasSuffix(name, ".go") {
					continue
				}
				if usesCgo {
					e.cgo[name] = true
				}
				if _, seen := e.files[name]; seen {
					continue
				}
				st, err := stampOf(name, true)
				if err != nil {
					ok = false
					return
				}
				e.files[name] = st
			}
		}
	})
	if !ok {
		return nil
	}
	return e
}

// valid reports whether the load still stands.
func (e *metaEntry) valid() bool {
	for dir, names := range e.dirs {
		now, err := goFilesIn(dir)
		if err != nil || !slices.Equal(now, names) {
			return false
		}
	}
	for name, st := range e.files {
		info, err := os.Stat(name)
		if err != nil {
			if os.IsNotExist(err) && st == (fileStamp{}) {
				continue // still missing
			}
			return false
		}
		if info.Size() == st.size && info.ModTime().Equal(st.modTime) {
			continue
		}
		if e.cgo[name] || !strings.HasSuffix(name, ".go") {
			return false
		}
		now, err := stampOf(name, true)
		if err != nil || now.header != st.header {
			return false
		}
		// Only a body changed: the load stands, and the next check of this
		// file need not parse it again.
		e.files[name] = now
	}
	return true
}

// stampOf is a file's size, modification time and, for a Go file, the hash
// of what go list reads of it: its build constraints, package clause and
// imports, and its //go:embed lines.
func stampOf(name string, goFile bool) (fileStamp, error) {
	info, err := os.Stat(name)
	if err != nil {
		return fileStamp{}, err
	}
	st := fileStamp{size: info.Size(), modTime: info.ModTime()}
	if !goFile {
		return st, nil
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return fileStamp{}, err
	}
	h := sha256.New()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		h.Write(src) // a header that does not parse: any change counts
	} else {
		for _, cg := range f.Comments {
			if cg.Pos() > f.Package {
				break
			}
			for _, c := range cg.List {
				if strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build") {
					fmt.Fprintf(h, "%s\n", c.Text)
				}
			}
		}
		fmt.Fprintf(h, "package %s\n", f.Name.Name)
		for _, imp := range f.Imports {
			fmt.Fprintf(h, "import %s\n", imp.Path.Value)
		}
	}
	for line := range bytes.Lines(src) {
		if t := bytes.TrimSpace(line); bytes.HasPrefix(t, []byte("//go:embed")) {
			fmt.Fprintf(h, "%s\n", t)
		}
	}
	h.Sum(st.header[:0])
	return st, nil
}

// goFilesIn lists the .go files of dir, sorted.
func goFilesIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// packageDir is the directory of p's files.
func packageDir(p *packages.Package) string {
	for _, group := range [][]string{p.GoFiles, p.IgnoredFiles} {
		if len(group) > 0 {
			return filepath.Dir(group[0])
		}
	}
	return ""
}

// clonePackages copies the graph below roots, each package with the errors
// go list gave it, so that a run's additions stay in that run.
func clonePackages(roots []*packages.Package) []*packages.Package {
	copies := map[*packages.Package]*packages.Package{}
	var clone func(p *packages.Package) *packages.Package
	clone = func(p *packages.Package) *packages.Package {
		if c := copies[p]; c != nil {
			return c
		}
		c := new(packages.Package)
		*c = *p
		copies[p] = c
		c.Errors = slices.Clip(p.Errors)
		c.TypeErrors = nil
		c.IllTyped = false
		c.Imports = make(map[string]*packages.Package, len(p.Imports))
		for path, imp := range p.Imports {
			c.Imports[path] = clone(imp)
		}
		return c
	}
	out := make([]*packages.Package, len(roots))
	for i, p := range roots {
		out[i] = clone(p)
	}
	return out
}
