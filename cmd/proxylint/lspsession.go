package main

import (
	"bytes"
	"go/token"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// A session is the standalone engine kept alive between the saves of a
// language server (lsp.go), for one configuration: the checks, their flags,
// the build tags and test setting. Each save loads the metadata of the saved
// file's package and builds a driver over its import graph, as a standalone
// run does; what differs is that the units of earlier runs whose key is
// unchanged are kept, with their types, facts and (for packages analysed as
// roots) findings, so that only the edited package is parsed, type-checked
// and analysed again. The key is the result cache's (cache.go): it covers a
// package's files and, through its imports' keys, everything below it, so a
// kept unit is exactly what a fresh analysis would give. The result cache on
// disk is used as in a standalone run, which makes the first save after a
// restart fast too.
type session struct {
	fset   *token.FileSet // every run's positions, kept units' included
	checks []*analysis.Analyzer
	opts   options
	salt   cacheKey
	disk   *cache                // nil when PROXYLINT_CACHE=off
	kept   map[string]*unit      // by package ID: the last analysis of each package
	meta   map[string]*metaEntry // by directory: its last load
	keys   *keyMemo
}

func newSession(checks []*analysis.Analyzer, opts options) (*session, error) {
	s := &session{fset: token.NewFileSet(), checks: checks, opts: opts, kept: map[string]*unit{}, meta: map[string]*metaEntry{}, keys: newKeyMemo()}
	var err error
	if s.salt, err = runSalt(checks, opts); err != nil {
		return nil, err
	}
	s.disk, err = openCache(checks, opts)
	if err != nil {
		s.disk = nil // the cache is an optimisation
	}
	return s, nil
}

// A sessionRun is what one analysis of a directory's package gave.
type sessionRun struct {
	pkgs     []*packages.Package
	findings []*finding
	log      string        // load errors and failed analyses, one a line
	failed   bool          // some package did not load or an analysis failed
	analysed int           // packages analysed in this run
	kept     int           // packages whose analysis an earlier run left
	listed   bool          // the metadata was loaded afresh (lspmeta.go)
	fromDisk bool          // some root's findings came from the result cache on disk
	loaded   time.Duration // of elapsed, what loading the metadata took
	keyed    time.Duration // and what computing the keys took
	elapsed  time.Duration
}

// analyseDir analyses the package in dir (and, with test files, its test
// variants) with what its findings need. With prime, the result cache on
// disk is not asked, so that the packages and their dependencies are
// analysed and kept for the next run.
func (s *session) analyseDir(dir string, prime bool) (*sessionRun, error) {
	start := time.Now()
	pkgs, fresh, err := s.loadMeta(dir)
	if err != nil {
		return nil, err
	}
	loaded := time.Since(start)
	d := newDriver(pkgs, s.checks)
	d.fset = s.fset
	d.computeKeys(s.salt, s.keys)
	keyed := time.Since(start) - loaded
	r := &sessionRun{pkgs: pkgs, listed: fresh}
	r.kept = s.reuse(d)
	if !prime {
		s.disk.lookup(d)
	}
	d.markNeeded()
	d.analyse()
	s.disk.store(d)
	s.keep(d)

	var log bytes.Buffer
	if printLoadErrors(&log, pkgs) > 0 {
		r.failed = true
	}
	var failed bool
	r.findings, failed = collect(d, &log)
	r.failed = r.failed || failed
	r.log = log.String()
	for _, u := range d.units {
		if u.needRun {
			r.analysed++
		}
	}
	for _, u := range d.roots {
		r.fromDisk = r.fromDisk || !u.needRun && !u.reused
	}
	r.loaded, r.keyed, r.elapsed = loaded, keyed, time.Since(start)
	return r, nil
}

// reuse gives the units of d whose analysis an earlier run left, with the
// same key, that analysis, and returns how many it gave. A unit is reused
// only if all its imports are, so that every package this run type-checks
// sees one types.Package per import path; a root also needs its findings,
// which only an earlier analysis as a root has. Runs whose analysis failed
// are never kept, so their errors show again.
func (s *session) reuse(d *driver) int {
	n := 0
	for _, u := range d.units { // dependencies first
		old := s.kept[u.pkg.ID]
		if old == nil || old.key != u.key || u.root && old.diags == nil {
			continue
		}
		all := true
		for _, imp := range u.imports {
			all = all && imp.reused
		}
		if !all {
			continue
		}
		u.reused = true
		u.types, u.illTyped, u.tainted = old.types, old.illTyped, old.tainted
		u.failed, u.objFacts, u.pkgFacts = old.failed, old.objFacts, old.pkgFacts
		u.pkg.Errors, u.pkg.TypeErrors, u.pkg.IllTyped = old.pkg.Errors, old.pkg.TypeErrors, old.pkg.IllTyped
		u.diags = old.diags // kept by a dependency too, for when it is a root again
		d.byTypes.Store(u.types, u)
		n++
	}
	return n
}

// keep records the units of d that were analysed or reused, for the next
// run; a unit replaces the earlier one of its package.
func (s *session) keep(d *driver) {
	for _, u := range d.units {
		if u.reused || u.needRun && !u.tainted && u.types != nil {
			s.kept[u.pkg.ID] = u
		}
	}
}
