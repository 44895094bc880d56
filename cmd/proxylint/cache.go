package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// The result cache answers a standalone run from the findings of an earlier
// one. Each root package's entry is keyed, as go vet keys its results, by
// what its findings depend on: the proxylint binary, the checks and their
// flags, the build tags and test setting, the Go version and platform, the
// package's identity, module and files (names and contents), and the keys
// of its imports, so that an edit invalidates the package and every package
// that depends on it. An entry holds the package's diagnostics with
// everything -fix, -diff and each output format need, suggested fixes
// included, in terms of file offsets.
//
// Only packages that loaded without errors, and on whose dependencies no
// analysis failed, are stored: a run with errors is always analysed afresh
// and prints them again. A package that misses needs the types and facts of
// all its dependencies, so they are analysed too (their stored findings are
// then not used).
//
// PROXYLINT_CACHE moves the cache (default: proxylint under the user cache
// directory) or, set to "off", disables it.

const cacheEnv = "PROXYLINT_CACHE"

type cacheKey [sha256.Size]byte

type cache struct {
	dir          string
	salt         cacheKey
	hits, misses int
}

// openCache returns the cache of this run, or nil when it is off or cannot
// be used (the error says why, unless it is simply off).
func openCache(checks []*analysis.Analyzer, opts options) (*cache, error) {
	dir, err := cacheDir()
	if dir == "" || err != nil {
		return nil, err
	}
	c := &cache{dir: dir}
	c.salt, err = runSalt(checks, opts)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// cacheDir is the directory of the cache, or "" when it is off.
func cacheDir() (string, error) {
	switch dir := os.Getenv(cacheEnv); dir {
	case "off":
		return "", nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "proxylint"), nil
	default:
		return dir, nil
	}
}

// runSalt hashes what every package's findings depend on in a run: the
// proxylint binary, the Go version and platform, the build tags and test
// setting, and the checks with their flags.
func runSalt(checks []*analysis.Analyzer, opts options) (cacheKey, error) {
	var salt cacheKey
	exe, err := os.Executable()
	if err != nil {
		return salt, err
	}
	f, err := os.Open(exe)
	if err != nil {
		return salt, err
	}
	defer f.Close()
	h := sha256.New()
	fmt.Fprintf(h, "proxylint result cache 1\n")
	if _, err := io.Copy(h, f); err != nil {
		return salt, err
	}
	fmt.Fprintf(h, "\n%s %s/%s tags=%q tests=%t\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, opts.tags, opts.tests)
	for _, a := range requiresOrder(checks) {
		fmt.Fprintf(h, "analyzer %s\n", a.Name)
		a.Flags.VisitAll(func(fl *flag.Flag) {
			fmt.Fprintf(h, "\t-%s=%q\n", fl.Name, fl.Value.String())
		})
	}
	h.Sum(salt[:0])
	return salt, nil
}

// lookup computes every unit's key and gives the roots found in the cache
// their entries.
func (c *cache) lookup(d *driver) {
	if c == nil {
		return
	}
	d.computeKeys(c.salt, nil)
	for _, u := range d.roots {
		if u.diags != nil { // kept by the language server
			continue
		}
		data, err := os.ReadFile(c.path(u.key))
		if err == nil {
			u.cached, err = decodeEntry(data, u.order, d.fset)
		}
		if err != nil {
			u.cached = nil
			c.misses++
			continue
		}
		c.hits++
	}
}

// computeKeys gives every unit its key, once. memo, which may be nil, keeps
// what a long-lived caller (the language server) can reuse between runs.
func (d *driver) computeKeys(salt cacheKey, memo *keyMemo) {
	if d.keyed {
		return
	}
	d.keyed = true
	for _, u := range d.units { // dependencies first
		u.key = unitKey(salt, u, memo)
	}
}

// A keyMemo keeps, between runs, the parts of keys that a run would compute
// again to the same value: the own part (all but the imports' keys) of the
// packages of module versions, whose files never change, and the digest of
// each edited file, by its size and modification time.
type keyMemo struct {
	own   map[string]cacheKey // by package ID and module version
	files map[string]fileDigest
}

type fileDigest struct {
	size    int64
	modTime int64
	sum     [sha256.Size]byte
}

func newKeyMemo() *keyMemo {
	return &keyMemo{own: map[string]cacheKey{}, files: map[string]fileDigest{}}
}

// unitKey hashes what the findings of u depend on; its imports' keys must
// be known.
func unitKey(salt cacheKey, u *unit, memo *keyMemo) cacheKey {
	own := ownKey(salt, u.pkg, memo)
	// The imports, each as the length of its ID, the ID and its key: a
	// large graph has tens of thousands of edges, hashed on every save.
	buf := make([]byte, 0, len(own)+len(u.imports)*(2*len(own)))
	buf = append(buf, own[:]...)
	for _, imp := range u.imports {
		buf = binary.AppendUvarint(buf, uint64(len(imp.pkg.ID)))
		buf = append(buf, imp.pkg.ID...)
		buf = append(buf, imp.key[:]...)
	}
	return sha256.Sum256(buf)
}

// ownKey hashes what the findings of p depend on besides its imports.
func ownKey(salt cacheKey, p *packages.Package, memo *keyMemo) cacheKey {
	// A module version's files never change (go.sum vouches for them), so
	// their names and the version say it all. The standard library and
	// GOPATH packages (no module) are keyed by each file's size and
	// modification time, as cheap as a stat; the main modules' and replaced
	// modules' files, the ones people edit, by their contents.
	content := p.Module != nil && (p.Module.Version == "" || p.Module.Replace != nil)
	immutable := p.Module != nil && !content
	var memoKey string
	if immutable && memo != nil {
		memoKey = p.ID + "@" + p.Module.Version
		if k, ok := memo.own[memoKey]; ok {
			return k
		}
	}
	h := sha256.New()
	h.Write(salt[:])
	fmt.Fprintf(h, "package %q %q %q\n", p.ID, p.PkgPath, p.Name)
	if m := p.Module; m != nil {
		fmt.Fprintf(h, "module %q %q %q %t\n", m.Path, m.Version, m.GoVersion, m.Main)
	}
	for i, group := range [][]string{p.CompiledGoFiles, p.GoFiles, p.OtherFiles, p.IgnoredFiles, p.EmbedFiles} {
		fmt.Fprintf(h, "files %d\n", len(group))
		for _, name := range group {
			fmt.Fprintf(h, "%q ", name)
			switch {
			case immutable, i == 0 && !slices.Contains(p.GoFiles, name):
				// The name is enough: a module version's files never
				// change, and cgo's outputs, in the build cache, are
				// named by a hash of their contents. (The go command
				// touches cache files as it uses them, so their
				// modification times say nothing.)
			case !content:
				if st, err := os.Stat(name); err == nil {
					fmt.Fprintf(h, "%d %d", st.Size(), st.ModTime().UnixNano())
				} else {
					fmt.Fprintf(h, "unreadable %v", err) // analysed afresh, where the error shows
				}
			default:
				if sum, err := contentDigest(name, memo); err == nil {
					fmt.Fprintf(h, "%x", sum)
				} else {
					fmt.Fprintf(h, "unreadable %v", err)
				}
			}
			fmt.Fprintf(h, "\n")
		}
	}
	var k cacheKey
	h.Sum(k[:0])
	if memoKey != "" {
		memo.own[memoKey] = k
	}
	return k
}

// contentDigest is the SHA-256 of a file's contents, from memo when the
// file's size and modification time are those it was hashed at.
func contentDigest(name string, memo *keyMemo) ([sha256.Size]byte, error) {
	var st os.FileInfo
	if memo != nil {
		var err error
		if st, err = os.Stat(name); err != nil {
			return [sha256.Size]byte{}, err
		}
		if d, ok := memo.files[name]; ok && d.size == st.Size() && d.modTime == st.ModTime().UnixNano() {
			return d.sum, nil
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [sha256.Size]byte{}, err
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	if memo != nil {
		memo.files[name] = fileDigest{st.Size(), st.ModTime().UnixNano(), sum}
	}
	return sum, nil
}

func (c *cache) path(k cacheKey) string {
	name := hex.EncodeToString(k[:])
	return filepath.Join(c.dir, name[:2], name)
}

// store writes the entries of the roots analysed in this run that can be
// cached. The cache is an optimisation: a write that fails is not an error
// of the run.
func (c *cache) store(d *driver) {
	if c == nil {
		return
	}
	for _, u := range d.roots {
		if !u.needRun || u.cached != nil || u.illTyped || u.tainted {
			continue
		}
		data, err := encodeEntry(d.fset, u.order, u.diags)
		if err != nil {
			continue
		}
		name := c.path(u.key)
		if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
			return
		}
		tmp, err := os.CreateTemp(filepath.Dir(name), "tmp-*")
		if err != nil {
			return
		}
		_, err = tmp.Write(data)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), name)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}
}

// printStats says, when PROXYLINT_CACHE_STATS is set, how many root packages
// came from the cache; the tests read it.
func (c *cache) printStats(w io.Writer, d *driver) {
	if os.Getenv("PROXYLINT_CACHE_STATS") == "" {
		return
	}
	hits, misses := 0, 0
	if c != nil {
		hits, misses = c.hits, c.misses
	}
	analysed := 0
	for _, u := range d.units {
		if u.needRun {
			analysed++
		}
	}
	fmt.Fprintf(w, "proxylint: cache: %d hits, %d misses, %d packages analysed\n", hits, misses, analysed)
}

// A cacheEntry is the findings of one root package as read from the cache,
// with the file set their positions refer to.
type cacheEntry struct {
	fset  *token.FileSet
	diags map[*analysis.Analyzer][]analysis.Diagnostic
}

// The stored form of an entry. Positions are a file of the entry's table and
// an offset; each file keeps its size and line table, and, for the files
// whose positions a //line directive moves (cgo's), the position each
// stored offset stands for.
type storedEntry struct {
	Files []storedFile
	Diags []storedDiag
}

type storedFile struct {
	Name  string
	Size  int
	Lines []int
	Alt   []storedAlt
}

type storedAlt struct {
	Offset       int
	Filename     string
	Line, Column int
}

type storedPos struct {
	File   int // -1: no position
	Offset int
}

type storedDiag struct {
	Analyzer          string
	Pos, End          storedPos
	Category, Message string
	URL               string
	Fixes             []storedFix
	Related           []storedRelated
}

type storedFix struct {
	Message string
	Edits   []storedEdit
}

type storedEdit struct {
	Pos, End storedPos
	NewText  []byte
}

type storedRelated struct {
	Pos, End storedPos
	Message  string
}

// encodeEntry stores the diagnostics of the analyzers in order.
func encodeEntry(fset *token.FileSet, order []*analysis.Analyzer, diags map[*analysis.Analyzer][]analysis.Diagnostic) ([]byte, error) {
	var e storedEntry
	fileIndex := map[*token.File]int{}
	offsets := map[int][]token.Pos{} // file index -> positions stored in it
	pos := func(p token.Pos) storedPos {
		if !p.IsValid() {
			return storedPos{File: -1}
		}
		tf := fset.File(p)
		if tf == nil {
			return storedPos{File: -1}
		}
		i, ok := fileIndex[tf]
		if !ok {
			i = len(e.Files)
			fileIndex[tf] = i
			e.Files = append(e.Files, storedFile{Name: tf.Name(), Size: tf.Size(), Lines: tf.Lines()})
		}
		offsets[i] = append(offsets[i], p)
		return storedPos{File: i, Offset: tf.Offset(p)}
	}
	for _, a := range order {
		for _, d := range diags[a] {
			sd := storedDiag{Analyzer: a.Name, Pos: pos(d.Pos), End: pos(d.End), Category: d.Category, Message: d.Message, URL: d.URL}
			for _, fix := range d.SuggestedFixes {
				sf := storedFix{Message: fix.Message}
				for _, te := range fix.TextEdits {
					sf.Edits = append(sf.Edits, storedEdit{pos(te.Pos), pos(te.End), te.NewText})
				}
				sd.Fixes = append(sd.Fixes, sf)
			}
			for _, r := range d.Related {
				sd.Related = append(sd.Related, storedRelated{pos(r.Pos), pos(r.End), r.Message})
			}
			e.Diags = append(e.Diags, sd)
		}
	}
	for i, list := range offsets {
		tf := fset.File(list[0])
		adjusted := false
		for _, p := range list {
			if fset.PositionFor(p, true) != fset.PositionFor(p, false) {
				adjusted = true
			}
		}
		if !adjusted {
			continue
		}
		slices.Sort(list)
		list = slices.Compact(list)
		for _, p := range list {
			posn := fset.PositionFor(p, true)
			e.Files[i].Alt = append(e.Files[i].Alt, storedAlt{tf.Offset(p), posn.Filename, posn.Line, posn.Column})
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&e); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeEntry rebuilds the stored diagnostics, their files added to fset.
func decodeEntry(data []byte, order []*analysis.Analyzer, fset *token.FileSet) (*cacheEntry, error) {
	var e storedEntry
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e); err != nil {
		return nil, err
	}
	files := make([]*token.File, len(e.Files))
	for i, sf := range e.Files {
		tf := fset.AddFile(sf.Name, -1, sf.Size)
		if !tf.SetLines(sf.Lines) {
			return nil, fmt.Errorf("bad line table for %s", sf.Name)
		}
		for _, alt := range sf.Alt {
			tf.AddLineColumnInfo(alt.Offset, alt.Filename, alt.Line, alt.Column)
		}
		files[i] = tf
	}
	var err error
	pos := func(sp storedPos) token.Pos {
		if sp.File < 0 {
			return token.NoPos
		}
		if sp.File >= len(files) || sp.Offset > files[sp.File].Size() {
			err = fmt.Errorf("bad position")
			return token.NoPos
		}
		return files[sp.File].Pos(sp.Offset)
	}
	byName := map[string]*analysis.Analyzer{}
	for _, a := range order {
		byName[a.Name] = a
	}
	entry := &cacheEntry{fset: fset, diags: map[*analysis.Analyzer][]analysis.Diagnostic{}}
	for _, sd := range e.Diags {
		a := byName[sd.Analyzer]
		if a == nil {
			return nil, fmt.Errorf("unknown analyzer %s", sd.Analyzer)
		}
		d := analysis.Diagnostic{Pos: pos(sd.Pos), End: pos(sd.End), Category: sd.Category, Message: sd.Message, URL: sd.URL}
		for _, sf := range sd.Fixes {
			fix := analysis.SuggestedFix{Message: sf.Message}
			for _, se := range sf.Edits {
				fix.TextEdits = append(fix.TextEdits, analysis.TextEdit{Pos: pos(se.Pos), End: pos(se.End), NewText: se.NewText})
			}
			d.SuggestedFixes = append(d.SuggestedFixes, fix)
		}
		for _, sr := range sd.Related {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: pos(sr.Pos), End: pos(sr.End), Message: sr.Message})
		}
		entry.diags[a] = append(entry.diags[a], d)
	}
	if err != nil {
		return nil, err
	}
	return entry, nil
}
