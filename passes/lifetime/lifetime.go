// Package lifetime is proxylint's one model of resource lifetimes and
// ownership: what needs an explicit release, who creates it, and what
// becomes of it on every path. logwriter, poolcleanup, lostclose and
// idletransport are predicates over it; no check keeps a private notion of
// ownership.
//
// What is a resource is decided from the code that defines it, through
// facts: a type whose Close, Release, Stop or Shutdown releases something
// the garbage collector cannot (closes a descriptor or a channel, cancels a
// context, deletes from a registry, delegates to a specific resource
// interface: [Releases]); an HTTP transport (released by
// CloseIdleConnections); and any value that owns a goroutine which ends only
// when it is released (the writer of an io.Pipe whose reader a goroutine
// drains, an object its constructor starts a goroutine on, a holder of
// either). An *http.Response from net/http's requests is a resource
// released through its Body (closed, or read to its end). Timers are not
// resources; tickers are only in a package written for a Go before 1.23,
// where one that is never stopped is never reclaimed.
//
// What becomes of a resource ([Result.Disposals], [Result.FateOf]): it is
// released, returned, kept, handed to a callee, or lost. A hand-off counts
// only where the new owner can release it:
//
//   - a store keeps it when the place lives for the process (package-level
//     state), when the place's owner releases it (a field that code of its
//     package closes; for another package's exported field, a type that lets
//     its holders release it, or an owner with a release method), or when
//     the field is filled lazily (one per owner);
//   - a callee takes it only where its [Summary] says so (on some path it
//     releases it, or hands it to an owner that does); a callee without a
//     summary (an interface method, a function value) can own only what its
//     parameter's type lets it release: an io.Writer parameter cannot close
//     a pipe writer, a net.Conn parameter can close a connection;
//   - an owner that cannot release what it keeps (exec.Cmd's Stdout, a
//     *log.Logger, a struct with no release method) is a holder: the
//     resource lives as long as the holder, and a holder that is returned or
//     dropped loses it for good.
//
// Function summaries are facts ([Summary]): which parameters a function
// takes or holds, which results are new resources (and which own goroutines
// or transports), and what resource every call creates and drops. Parameter
// indices count a method's receiver as 0, as SSA does: this is the only
// parameter-index convention of proxylint's facts. A package whose
// functions were summarised carries the package fact [Summarised], so that
// a function with no Summary fact is known to own nothing and empty facts
// are never exported; a function of a package that was not summarised is
// unknown, and the type rules above decide.
package lifetime

import (
	"fmt"
	"go/ast"
	"go/types"
	"go/version"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/ssair"
)

// Analyzer computes the Releases and Summary facts of a package and provides
// a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "lifetime",
	Doc:        "computes which types need an explicit release and which functions take or create such values",
	URL:        "https://pkg.go.dev/github.com/proxylint/proxylint/passes/lifetime",
	Run:        run,
	Requires:   []*analysis.Analyzer{ssair.Analyzer},
	FactTypes:  []analysis.Fact{new(Releases), new(Summary), new(Summarised)},
	ResultType: reflect.TypeFor[*Result](),
}

// Releases is the fact that calling a function releases a resource the
// garbage collector cannot reclaim. ChannelsOnly is set when all it
// releases is channels it closes and registry entries it deletes: that
// matters only to a goroutine waiting on them, or to a registry that keeps
// the value (and so owns it), so it makes no type a resource of its own.
//
// TimersOnly is set when all it releases, beyond channels, is tickers and
// timers it stops (a clock wrapper's Stop): since Go 1.23 the garbage
// collector reclaims those unstopped, so for a package written for such a
// Go it releases nothing that matters.
type Releases struct{ ChannelsOnly, TimersOnly bool }

func (*Releases) AFact()         {}
func (*Releases) String() string { return "releases" }

// Summary is the ownership behaviour of a function: the one fact every
// resource check reads. Parameter indices count the receiver of a method as
// parameter 0, as SSA does; result indices count from 0. This is the only
// parameter-index convention of proxylint's facts.
type Summary struct {
	Takes     uint64 // bit i: parameter i is released or handed to an owner that releases it, on some path
	Holds     uint64 // bit i: a result or the receiver keeps parameter i without being able to release it (log.New, bufio.NewReader, Logger.SetOutput)
	Fresh     uint64 // bit i: result i is a new resource that the caller owns
	Wraps     uint64 // bit i: the results are a view of resource parameter i, new only when it is
	Goroutine uint64 // bit i: result i owns a goroutine that ends only when the result is released
	Transport uint64 // bit i: result i is, or holds, a new HTTP transport
	Starts    uint64 // bit i: parameter i is held by a goroutine the function starts (go p.loop(), directly or through a callee)
	Pinned    uint64 // bit i: a goroutine result i owns holds result i itself, so it is never unreachable while the goroutine runs
	Until     uint64 // bit i: the function returns only once context parameter i is done (a serving loop); given context.Background it never returns
	Returns   uint64 // bit i: parameter i itself may be returned, and is neither taken nor held otherwise: the caller follows the results as the argument
	NoReturn  bool   // the function has no return: an endless loop; a call of it ends every path through it
	// Ends: the method releases its receiver on every path that returns,
	// whatever its name: it closes the receiver, or everything its type's
	// release method closes (a client's serve that closes its connection
	// before it returns).
	Ends bool
	// Drops names a resource that every call creates and loses (never
	// returned, released or kept), as "logrus.Logger.WriterLevel at
	// tlog.go:12"; empty when there is none.
	Drops string
	// DropsKind is the kind of the dropped resource.
	DropsKind Kind
}

// Kind is the kind of a resource, as the checks tell them apart.
type Kind uint8

const (
	Plain     Kind = iota // a resource with a release method
	Writer                // an io.Writer that owns a goroutine (a logrus or pipe writer)
	Transport             // an HTTP transport pooling idle connections
	Goroutine             // another value owning a goroutine
)

func (k Kind) String() string {
	switch k {
	case Writer:
		return "goroutine-backed writer"
	case Transport:
		return "transport"
	case Goroutine:
		return "goroutine-backed value"
	}
	return "resource"
}

func (*Summary) AFact() {}
func (s *Summary) String() string {
	var parts []string
	bits := func(mask uint64, verb string) {
		for i := range 64 {
			if mask&(1<<i) != 0 {
				parts = append(parts, fmt.Sprintf("%s %d", verb, i))
			}
		}
	}
	bits(s.Takes, "takes")
	bits(s.Holds, "holds")
	bits(s.Fresh, "new")
	bits(s.Wraps, "wraps")
	bits(s.Goroutine, "goroutine")
	bits(s.Transport, "transport")
	bits(s.Starts, "starts")
	bits(s.Pinned, "pinned")
	bits(s.Until, "until")
	bits(s.Returns, "returns")
	if s.NoReturn {
		parts = append(parts, "never returns")
	}
	if s.Ends {
		parts = append(parts, "ends 0")
	}
	if s.Drops != "" {
		parts = append(parts, fmt.Sprintf("drops %s (%s)", s.DropsKind, s.Drops))
	}
	if len(parts) == 0 {
		return "owns nothing"
	}
	return strings.Join(parts, ", ")
}

// TakesParam reports whether parameter i is taken.
func (s Summary) TakesParam(i int) bool { return i < 64 && s.Takes&(1<<i) != 0 }

// ReturnsParam reports whether parameter i may come back as a result.
func (s Summary) ReturnsParam(i int) bool { return i < 64 && s.Returns&(1<<i) != 0 }

// HoldsParam reports whether a result holds parameter i without owning it.
func (s Summary) HoldsParam(i int) bool { return i < 64 && s.Holds&(1<<i) != 0 }

// FreshResult reports whether result i is a new resource.
func (s Summary) FreshResult(i int) bool { return i < 64 && s.Fresh&(1<<i) != 0 }

// GoroutineResult reports whether result i owns a goroutine.
func (s Summary) GoroutineResult(i int) bool { return i < 64 && s.Goroutine&(1<<i) != 0 }

// PinnedResult reports whether result i is held by its own goroutine: a
// finalizer or cleanup attached to it never runs while that goroutine does.
func (s Summary) PinnedResult(i int) bool { return i < 64 && s.Pinned&(1<<i) != 0 }

// ReleaseNames are the method names of the release methods.
var releaseNames = map[string]bool{"Close": true, "Release": true, "Stop": true, "Shutdown": true, "CloseIdleConnections": true}

// releaseOrder is releaseNames in the order a type's release method is
// looked for.
var releaseOrder = []string{"Close", "Release", "Stop", "Shutdown"}

// delegateNames are the abstract methods whose call counts as releasing.
var delegateNames = map[string]bool{"Close": true, "Release": true, "CloseWithExitCode": true, "CloseWithError": true, "Shutdown": true, "Stop": true, "CloseNow": true, "CloseIdleConnections": true}

// stopNames are the other names a method that ends a value's life goes by
// (a server group's Cancel, a worker's Quit). Such a method releases its
// receiver when its body releases something (closes a channel the value's
// goroutine waits on, cancels its context, closes what it holds) and it
// returns nothing but an error.
var stopNames = map[string]bool{"Cancel": true, "Kill": true, "Terminate": true, "Quit": true, "Exit": true, "Halt": true, "Abort": true, "Dispose": true, "Destroy": true, "Free": true, "Disconnect": true, "Unsubscribe": true, "Teardown": true, "Cleanup": true, "Rollback": true, "Commit": true}

// stopPrefixes begin the names of methods that end a value's life in a
// way of their own (StopAndWait, CloseWrite is not one: see
// stopPrefixed), judged by their bodies as stopNames are.
var stopPrefixes = []string{"Stop", "Close", "Shutdown", "Release"}

// stopPrefixed reports whether name is a release verb followed by a
// qualifier that starts a new word (StopAndWait, ShutdownNow), other than
// the half-closes of a connection or stream (CloseRead, CloseWrite, a gRPC
// stream's CloseSend), which end one direction only.
func stopPrefixed(name string) bool {
	switch name {
	case "CloseRead", "CloseWrite", "CloseSend":
		return false
	}
	for _, p := range stopPrefixes {
		if len(name) > len(p) && strings.HasPrefix(name, p) && name[len(p)] >= 'A' && name[len(p)] <= 'Z' {
			return true
		}
	}
	return false
}

// stopSignature reports whether a method of this signature can end its
// receiver's life: it returns nothing, or only an error.
func stopSignature(sig *types.Signature) bool {
	res := sig.Results()
	switch res.Len() {
	case 0:
		return true
	case 1:
		return types.Identical(res.At(0).Type(), types.Universe.Lookup("error").Type())
	}
	return false
}

// releasesReceiver reports whether calling the method m on a resource
// releases it: m is one of its release methods (delegateNames), or has a
// stop name and signature and, when its body is known (known is false for
// an interface method), releases something.
func (r *Result) releasesReceiver(m *types.Func, known bool) bool {
	if m == nil {
		return false
	}
	if delegateNames[m.Name()] {
		return true
	}
	if !stopNames[m.Name()] && !stopPrefixed(m.Name()) || !stopSignature(m.Signature()) {
		return false
	}
	return !known || r.funcReleases(m)
}

// IsReleaseName reports whether name is the name of a release method (Close,
// Release).
func IsReleaseName(name string) bool { return releaseNames[name] }

// Result gives the checks access to the facts of the package under analysis
// and of its dependencies.
type Result struct {
	pass  *analysis.Pass
	ir    *ssair.IR
	rel   *releaser
	sum   *summarizer
	local bool

	// IsResource is asked of every parameter and result type of every
	// function of every package: memoise it by type identity, and share the
	// method sets it computes.
	mu        sync.Mutex
	api       sync.Mutex   // held by every exported entry point (see SummaryOf)
	resources typeutil.Map // types.Type -> resourceAnswer
	msets     typeutil.MethodSetCache
}

type resourceAnswer struct {
	m  *types.Func
	ok bool
}

// HasLocalSummaries reports whether the package declares functions that
// take or return resources, so that its summaries have been computed (and
// its SSA form built).
func (r *Result) HasLocalSummaries() bool { return r.local }

func run(pass *analysis.Pass) (any, error) {
	res := &Result{pass: pass, ir: ssair.Of(pass)}
	res.rel = newReleaser(pass)
	res.rel.exportAll()
	res.sum = &summarizer{res: res, memo: map[*ssa.Function]*Summary{}, released: map[*types.Var]bool{}}
	if res.needsSummaries() || res.createsResources() {
		res.local = true
		res.sum.exportAll(ssair.Of(pass).SrcFuncs())
	}
	return res, nil
}

// createsResources is the prefilter for packages that declare no function
// taking or returning a resource: they matter only if they call a function
// of another package that creates one (or drops one on every call), make a
// pipe, or name an HTTP transport type.
func (r *Result) createsResources() bool {
	if r.startsWriterGoroutines() {
		return true
	}
	withFacts := len(r.pass.AllObjectFacts()) > 0
	for _, obj := range r.pass.TypesInfo.Uses {
		switch obj := obj.(type) {
		case *types.TypeName:
			if obj.Name() == "Transport" && obj.Pkg() != nil && (obj.Pkg().Path() == "net/http" || obj.Pkg().Path() == "golang.org/x/net/http2") {
				return true
			}
		case *types.Func:
			if obj.Pkg() == nil || obj.Pkg() == r.pass.Pkg {
				continue
			}
			if obj.Pkg().Path() == "io" && obj.Name() == "Pipe" {
				return true
			}
			if obj.Pkg().Path() == "time" && obj.Name() == "NewTicker" && r.tickersLeak() {
				return true
			}
			for v := range obj.Signature().Results().Variables() {
				if isPipeWriter(v.Type()) {
					return true // a pipe writer, through an interface method perhaps
				}
			}
			if !withFacts {
				continue
			}
			var s Summary
			if r.pass.ImportObjectFact(obj.Origin(), &s) && (s.Fresh != 0 || s.Goroutine != 0 || s.Wraps != 0 || s.Drops != "") {
				return true
			}
		}
	}
	return false
}

// startsWriterGoroutines reports whether the package declares a Write
// method and starts goroutines: it may define a writer whose constructor
// starts the goroutine that drains it.
func (r *Result) startsWriterGoroutines() bool {
	write := false
	for id, obj := range r.pass.TypesInfo.Defs {
		if fn, ok := obj.(*types.Func); ok && id.Name == "Write" && fn.Signature().Recv() != nil {
			write = true
			break
		}
	}
	if !write {
		return false
	}
	for _, f := range r.pass.Files {
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			if _, ok := n.(*ast.GoStmt); ok {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// Of returns the Result of the package under analysis; the pass's analyzer
// must Require Analyzer.
func Of(pass *analysis.Pass) *Result { return pass.ResultOf[Analyzer].(*Result) }

// funcReleases is FuncReleases without the lock.
func (r *Result) funcReleases(fn *types.Func) bool { return r.rel.releases(fn) }

// IsResource reports whether values of type t need an explicit release, and
// returns the release method. Concrete types need one when their Close or
// Release method releases; interfaces when they describe a specific kind of
// resource (see isResourceInterface).
func (r *Result) IsResource(t types.Type) (*types.Func, bool) {
	if t == nil {
		return nil, false
	}
	t = types.Unalias(t)
	r.mu.Lock()
	if a, ok := r.resources.At(t).(resourceAnswer); ok {
		r.mu.Unlock()
		return a.m, a.ok
	}
	r.mu.Unlock()
	m, ok := r.isResource(t)
	r.mu.Lock()
	r.resources.Set(t, resourceAnswer{m, ok})
	r.mu.Unlock()
	return m, ok
}

func (r *Result) isResource(t types.Type) (*types.Func, bool) {
	if _, ok := t.Underlying().(*types.Interface); ok {
		m, ok := resourceInterfaceMethod(t)
		if ok && r.rel.inertIface(t, m.Name()) {
			// A project's abstraction over values that release
			// nothing (a compressor interface met by gzip's writer).
			return nil, false
		}
		return m, ok
	}
	if _, ok := t.(*types.TypeParam); ok {
		return nil, false
	}
	if typeis.NamedOrPointer(t, "time", "Timer") {
		// A timer that fires is done; since Go 1.23 one that nothing
		// references is reclaimed before it fires.
		return nil, false
	}
	if typeis.NamedOrPointer(t, "time", "Ticker") {
		// Since Go 1.23 the garbage collector reclaims tickers that
		// nothing references, stopped or not; before, a ticker that is
		// never stopped ticks for the life of the process.
		if !r.tickersLeak() {
			return nil, false
		}
		return r.lookupMethod(t, "Stop"), true
	}
	if TransportType(t) {
		return r.lookupMethod(t, "CloseIdleConnections"), true
	}
	if IsResponse(t) {
		// Released through its Body (the walker follows resp.Body).
		return nil, true
	}
	for _, name := range releaseOrder {
		m := r.lookupMethod(t, name)
		if m == nil || !releaseSignature(m.Signature()) {
			continue
		}
		if recv := m.Signature().Recv(); recv != nil {
			if _, ok := recv.Type().Underlying().(*types.Interface); ok {
				// Promoted from an embedded interface.
				if _, ok := resourceInterfaceMethod(recv.Type()); ok {
					return m, true
				}
				continue
			}
		}
		if r.rel.releases(m) && !r.rel.channelsOnly(m) && (r.tickersLeak() || !r.rel.timersOnly(m)) {
			return m, true
		}
	}
	return nil, false
}

// tickersLeak reports whether the package is written for a Go before 1.23
// (its module's go line, or a file's //go:build line): built as that
// version, as its module's own binaries and tests are, a ticker nothing
// stops is never reclaimed.
func (r *Result) tickersLeak() bool {
	v := r.pass.Pkg.GoVersion()
	return v != "" && version.IsValid(v) && version.Compare(v, "go1.23") < 0
}

// releaseSignature reports whether a method of this signature can be a
// release: it is called on the value alone, or with a context or a timeout
// (Close(), Close(ctx), Shutdown(ctx), CloseWithError(err) is a delegate
// name, not a type's release). consul's KV.Release(pair, opts) is an
// operation, not a release.
func releaseSignature(sig *types.Signature) bool {
	p := sig.Params()
	switch p.Len() {
	case 0:
		return true
	case 1:
		t := p.At(0).Type()
		if typeis.Named(t, "context", "Context") || typeis.Named(t, "time", "Duration") {
			return true
		}
	}
	return false
}

// lookupMethod finds the method name of t or *t.
func (r *Result) lookupMethod(t types.Type, name string) *types.Func {
	r.mu.Lock()
	ms := r.msets.MethodSet(t)
	r.mu.Unlock()
	if sel := ms.Lookup(nil, name); sel != nil {
		f, _ := sel.Obj().(*types.Func)
		return f
	}
	if _, ok := t.(*types.Pointer); !ok {
		if _, ok := t.Underlying().(*types.Interface); !ok {
			r.mu.Lock()
			pms := r.msets.MethodSet(types.NewPointer(t))
			r.mu.Unlock()
			if sel := pms.Lookup(nil, name); sel != nil {
				f, _ := sel.Obj().(*types.Func)
				return f
			}
		}
	}
	return nil
}

// genericMethods are the methods of the io interfaces: an interface made of
// nothing else (io.Closer, io.ReadCloser, a custom Closer) is as often a
// no-op wrapper as a resource, so it does not count.
var genericMethods = map[string]bool{
	"Close": true, "Release": true, "Read": true, "Write": true, "Seek": true,
	"ReadAt": true, "WriteAt": true, "ReadFrom": true, "WriteTo": true,
	"WriteString": true, "ReadByte": true, "WriteByte": true, "Flush": true,
	"CloseWrite": true, "CloseRead": true, "CloseWithError": true,
}

// resourceInterfaceMethod reports whether the interface type t describes a
// specific kind of resource: it is named, declares Close or Release, and has
// methods beyond the io ones (net.Conn, net.Listener, a wazero Runtime).
func resourceInterfaceMethod(t types.Type) (*types.Func, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return nil, false
	}
	iface, ok := n.Underlying().(*types.Interface)
	if !ok {
		return nil, false
	}
	var release *types.Func
	specific := false
	for m := range iface.Methods() {
		if releaseNames[m.Name()] && release == nil && releaseSignature(m.Signature()) {
			// Close(w io.Writer), which finishes output (a table
			// renderer's bottom border), releases nothing.
			release = m
		}
		if !genericMethods[m.Name()] {
			specific = true
		}
	}
	return release, release != nil && specific
}

// ---- Releases ----

type releaser struct {
	pass  *analysis.Pass
	decls map[*types.Func]*ast.FuncDecl
	memo  map[*types.Func]bool
	busy  map[*types.Func]bool
	// real memoises, for the functions that release, whether they release
	// something other than channels; absent while being decided.
	real map[*types.Func]bool
	// untimed memoises, for the same, whether they release something
	// other than channels, tickers and timers.
	untimed map[*types.Func]bool
	// spawned are the types the package starts goroutines on.
	spawned map[*types.TypeName]bool
	// inert memoises inertIface.
	inert map[*types.Named]bool
}

func newReleaser(pass *analysis.Pass) *releaser {
	r := &releaser{pass: pass, decls: map[*types.Func]*ast.FuncDecl{}, memo: map[*types.Func]bool{}, busy: map[*types.Func]bool{}, real: map[*types.Func]bool{}, untimed: map[*types.Func]bool{}}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					r.decls[fn] = fd
				}
			}
		}
	}
	return r
}

func (r *releaser) exportAll() {
	for fn := range r.decls {
		if r.releases(fn) {
			r.pass.ExportObjectFact(fn, &Releases{ChannelsOnly: r.channelsOnly(fn), TimersOnly: r.timersOnly(fn)})
		}
	}
}

// seeds are the releasing functions the computation starts from: their
// bodies are system calls or runtime hooks that no syntax reveals.
func seed(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "syscall", "golang.org/x/sys/unix", "golang.org/x/sys/windows", "internal/syscall/unix", "internal/syscall/windows":
		return name == "Close" || name == "CloseHandle" || name == "Munmap" || name == "closesocket" || name == "Closesocket"
	case "internal/poll":
		return name == "Close" || name == "destroy"
	case "os":
		return name == "Close" && recvNamed(fn, "File")
	case "time":
		return name == "Stop" && (recvNamed(fn, "Ticker") || recvNamed(fn, "Timer"))
	case "io":
		// An io.Pipe end's Close only closes channels, but the other
		// end is there to be read or written by a goroutine, which it
		// wakes: the pipe writers of logwriter's class.
		return (name == "Close" || name == "CloseWithError") && (recvNamed(fn, "PipeWriter") || recvNamed(fn, "PipeReader"))
	}
	return false
}

func recvNamed(fn *types.Func, name string) bool {
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name
}

func (r *releaser) releases(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	fn = fn.Origin()
	if seed(fn) {
		return true
	}
	if fn.Pkg() != r.pass.Pkg {
		return r.pass.ImportObjectFact(fn, new(Releases))
	}
	if v, ok := r.memo[fn]; ok {
		return v
	}
	decl := r.decls[fn]
	if decl == nil || r.busy[fn] {
		return false
	}
	r.busy[fn] = true
	v, real, untimed := r.body(decl.Body)
	delete(r.busy, fn)
	r.memo[fn] = v
	r.real[fn] = real
	r.untimed[fn] = untimed
	return v
}

// channelsOnly reports whether fn, a function that releases, releases
// nothing but channels it closes (directly or through its callees).
func (r *releaser) channelsOnly(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	fn = fn.Origin()
	if seed(fn) {
		return false
	}
	if fn.Pkg() != r.pass.Pkg {
		var f Releases
		return r.pass.ImportObjectFact(fn, &f) && f.ChannelsOnly
	}
	if !r.releases(fn) {
		return false
	}
	real, ok := r.real[fn]
	if !ok || real {
		return false
	}
	if recv := fn.Signature().Recv(); recv != nil && r.spawnsOn(recv.Type()) {
		// The channels it closes end goroutines the package starts on
		// such values (a decoder's workers): a real release.
		return false
	}
	return true
}

// timersOnly reports whether fn, a function that releases, releases nothing
// but channels, tickers and timers (directly or through its callees).
func (r *releaser) timersOnly(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	fn = fn.Origin()
	if seed(fn) {
		return fn.Pkg().Path() == "time"
	}
	if fn.Pkg() != r.pass.Pkg {
		var f Releases
		return r.pass.ImportObjectFact(fn, &f) && f.TimersOnly
	}
	if !r.releases(fn) || r.channelsOnly(fn) || !r.real[fn] {
		// Nothing, only channels, or channels that end goroutines
		// started on its values: not a timer's release.
		return false
	}
	if recv := fn.Signature().Recv(); recv != nil && r.spawnsOn(recv.Type()) {
		return false // what it closes may end goroutines started on it
	}
	untimed, ok := r.untimed[fn]
	return ok && !untimed
}

// spawnsOn reports whether the package starts a goroutine on a value of
// type t (or *t): as the receiver or an argument of the go statement's
// call, or captured by the function literal it runs.
func (r *releaser) spawnsOn(t types.Type) bool {
	if r.spawned == nil {
		r.spawned = map[*types.TypeName]bool{}
		info := r.pass.TypesInfo
		note := func(t types.Type) {
			if p, ok := t.Underlying().(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				r.spawned[n.Origin().Obj()] = true
			}
		}
		for _, f := range r.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				g, ok := n.(*ast.GoStmt)
				if !ok {
					return true
				}
				if sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr); ok {
					if tv, ok := info.Types[sel.X]; ok && tv.Type != nil {
						note(tv.Type)
					}
				}
				for _, a := range g.Call.Args {
					if tv, ok := info.Types[a]; ok && tv.Type != nil {
						note(tv.Type)
					}
				}
				if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
					ast.Inspect(lit.Body, func(n ast.Node) bool {
						if id, ok := n.(*ast.Ident); ok {
							if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() && (v.Pos() < lit.Pos() || v.Pos() > lit.End()) {
								note(v.Type())
							}
						}
						return true
					})
				}
				return true
			})
		}
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && r.spawned[n.Origin().Obj()]
}

// body reports whether a function body releases something, whether it
// releases something other than channels it closes, and whether other than
// channels, tickers and timers.
func (r *releaser) body(body *ast.BlockStmt) (found, real, untimed bool) {
	info := r.pass.TypesInfo
	ast.Inspect(body, func(n ast.Node) bool {
		if untimed {
			return false
		}
		if _, ok := n.(*ast.GoStmt); ok {
			// What a goroutine started here does is not this call's
			// release.
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "runtime" && (fn.Name() == "SetFinalizer" || fn.Name() == "AddCleanup") {
			// A finalizer runs later, if ever; it is not this call's release.
			return false
		}
		switch callee := typeutil.Callee(info, call).(type) {
		case *types.Builtin:
			switch callee.Name() {
			case "close":
				found = true
			case "delete":
				// Leaving a registry (a stream deleting itself from its
				// session's map): like closing a channel, it matters
				// only where something else was made too, or to what
				// waits on it; a value dropped before it registered
				// leaks nothing.
				if len(call.Args) > 0 && heldOutside(info, call.Args[0]) {
					found = true
				}
			}
		case *types.Func:
			if recv := callee.Signature().Recv(); recv != nil {
				if _, ok := recv.Type().Underlying().(*types.Interface); ok {
					// Closing through an interface releases only when the
					// interface is a specific kind of resource (net.Conn,
					// wazero's api.Module), judged by the static type of the
					// operand: an io.Closer or io.ReadCloser is as often a
					// no-op as not (gzip.Reader, elf.File wrap them).
					if delegateNames[callee.Name()] && resourceOperand(info, call, recv.Type()) && !r.inertIface(operandType(info, call, recv.Type()), callee.Name()) {
						found, real, untimed = true, true, true
					}
					return true
				}
			}
			if r.releases(callee) {
				found = true
				if !r.channelsOnly(callee) {
					real = true
					if !r.timersOnly(callee) {
						untimed = true
					}
				}
			}
		case *types.Var:
			if typeis.Named(callee.Type(), "context", "CancelFunc") {
				found, real, untimed = true, true, true
			}
		}
		return true
	})
	return found, real, untimed
}

// resourceOperand reports whether the operand of the interface method call
// call (x in x.Close()) has a resource interface type; recv is the type that
// declares the method, used when the operand's type is not known.
func resourceOperand(info *types.Info, call *ast.CallExpr, recv types.Type) bool {
	_, ok := resourceInterfaceMethod(operandType(info, call, recv))
	return ok
}

// operandType is the interface type of the operand of the interface method
// call call, or recv when the operand is a concrete type embedding it.
func operandType(info *types.Info, call *ast.CallExpr, recv types.Type) types.Type {
	t := recv
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if tv, ok := info.Types[sel.X]; ok && tv.Type != nil {
			t = tv.Type
		}
	}
	if _, ok := t.Underlying().(*types.Interface); !ok {
		// A concrete type embedding the interface: the embedded interface decides.
		t = recv
	}
	return t
}

// projectPkg reports whether p is a project's package rather than the
// standard library's: the first element of its path has a dot.
func projectPkg(p *types.Package) bool {
	if p == nil {
		return false
	}
	first, _, _ := strings.Cut(p.Path(), "/")
	return strings.Contains(first, ".")
}

// inertIface reports whether the method name of the interface t (a
// project's own, not the standard library's) releases nothing in any of its
// implementations that the package can see: the named types of the package
// and of its direct imports (the standard library's too: a compressor
// interface met by gzip's writer) that implement t, of which there is at
// least one and none of whose method releases anything but channels and
// registry entries (a table renderer's Close, which only finishes
// drawing). An interface whose implementations live in its importers is
// judged by its methods alone.
func (r *releaser) inertIface(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || !projectPkg(n.Obj().Pkg()) {
		return false
	}
	iface, ok := n.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	if v, ok := r.inert[n]; ok {
		return v
	}
	if r.inert == nil {
		r.inert = map[*types.Named]bool{}
	}
	r.inert[n] = false
	pkgs := append([]*types.Package{r.pass.Pkg}, r.pass.Pkg.Imports()...)
	impls := 0
	for _, p := range pkgs {
		scope := p.Scope()
		for _, nm := range scope.Names() {
			tn, ok := scope.Lookup(nm).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
				continue
			}
			if nt, ok := tn.Type().(*types.Named); ok && nt.TypeParams().Len() > 0 {
				continue // generic: implements nothing until instantiated
			}
			var impl types.Type
			switch {
			case types.Implements(tn.Type(), iface):
				impl = tn.Type()
			case types.Implements(types.NewPointer(tn.Type()), iface):
				impl = types.NewPointer(tn.Type())
			default:
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(impl, true, p, name)
			m, ok := obj.(*types.Func)
			if !ok {
				continue
			}
			if r.releases(m) && !r.channelsOnly(m) {
				return false
			}
			impls++
		}
	}
	v := impls > 0
	r.inert[n] = v
	return v
}

// heldOutside reports whether the expression denotes a field or a
// package-level variable, i.e. state that outlives the call.
func heldOutside(info *types.Info, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok {
			return sel.Kind() == types.FieldVal
		}
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			return v.Parent() == v.Pkg().Scope()
		}
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok && v.Pkg() != nil {
			return v.Parent() == v.Pkg().Scope()
		}
	case *ast.IndexExpr:
		return heldOutside(info, e.X)
	case *ast.StarExpr:
		return heldOutside(info, e.X)
	}
	return false
}

// The Result is shared by the checks of a package, which run at once (go vet
// runs a package's analyzers in parallel): its summaries and memos are
// filled lazily, so every entry point takes the lock; the code of the
// model calls the unexported versions.

// Births returns the resources fn creates: results of calls that return a
// new resource, pipe writers whose reader fn gives a goroutine, transports
// and goroutine-owning objects it allocates, and calls of functions that
// create a resource and drop it on every call.
func (r *Result) Births(fn *ssa.Function) []Birth {
	r.api.Lock()
	defer r.api.Unlock()
	return r.births(fn)
}

// FateOf follows a birth through its function.
func (r *Result) FateOf(b Birth) Fate {
	r.api.Lock()
	defer r.api.Unlock()
	return r.fateOf(b)
}

// Overwrites reports whether st, a store of a resource into a field of an
// object that existed before st's function ran, may replace a value of that
// field that the function neither releases nor hands on. The function deals
// with the old value when the store is reached only where the field was
// nil (lazy initialisation), or when it releases or hands on a value it read
// from the field (old := x.f; x.f = n; old.Close()), or something that
// value holds in a field of its own (old.t.CloseIdleConnections()). A read
// that only looks at the old value (a nil check that is not what guards the
// store, a use) releases nothing. How often the store runs is the caller's
// question.
func (r *Result) Overwrites(st *ssa.Store) bool {
	r.api.Lock()
	defer r.api.Unlock()
	return r.overwrites(st)
}

// OverwritesContainer is Overwrites for a call that stores a resource into
// an atomic.Value or an atomic.Pointer that existed before the call's
// function ran: its Store replaces a value the function neither releases nor
// hands on (it never reads the old value with Load or Swap, directly or
// through a function of its package that returns the Load, or releases
// nothing it read, and the Store is not reached only where the old value
// was nil); its Swap returns the old value, which the function drops. A
// sync.Map's Store is per key, a registry: never an overwrite.
func (r *Result) OverwritesContainer(call ssa.CallInstruction) bool {
	r.api.Lock()
	defer r.api.Unlock()
	return r.overwritesContainer(call)
}

// SharedReplacedPart returns, for a store Overwrites or a call
// OverwritesContainer reports, the field of the old value whose equality
// with the new value's keeps the function from releasing the old one (it
// releases it only where they differ), or "" when it never releases it.
func (r *Result) SharedReplacedPart(instr ssa.Instruction) string {
	r.api.Lock()
	defer r.api.Unlock()
	return r.sharedReplacedPart(instr)
}

// FuncReleases reports whether calling fn releases a resource.
func (r *Result) FuncReleases(fn *types.Func) bool {
	r.api.Lock()
	defer r.api.Unlock()
	return r.funcReleases(fn)
}

// Disposals returns the instructions of v's function (and of function
// literals it creates) that dispose of the value v or of an alias of it
// (conversions, phis, the variable it is stored in, holders that own it). A
// use inside a function literal is attributed to the instruction that
// creates the literal.
func (r *Result) Disposals(v ssa.Value) []Disposal {
	r.api.Lock()
	defer r.api.Unlock()
	return r.disposals(v)
}

// SummaryOf returns the summary of a function, computed for the package
// under analysis or imported from its facts; known is false when nothing is
// known about it.
func (r *Result) SummaryOf(fn *ssa.Function) (sum Summary, known bool) {
	r.api.Lock()
	defer r.api.Unlock()
	return r.summaryOf(fn)
}

// Fresh reports whether v is a new resource that the function holding it
// owns: the result of a call whose callee creates it, for example.
func (r *Result) Fresh(v ssa.Value) bool {
	r.api.Lock()
	defer r.api.Unlock()
	return r.freshV(v)
}

// GoroutineBacked reports whether v, a value of its function, owns a
// goroutine that ends only when v is released: the result of a function
// whose summary says so (logrus's Writer), the writer of an io.Pipe whose
// reader this function hands to a goroutine, or a value this function
// allocates and starts a goroutine on.
func (r *Result) GoroutineBacked(v ssa.Value) bool {
	r.api.Lock()
	defer r.api.Unlock()
	return r.goroutineBackedV(v)
}

// Pinned reports whether v is held by a goroutine it owns (its constructor
// started the goroutine on it): it stays reachable while the goroutine
// runs, so a finalizer or cleanup attached to it never runs.
func (r *Result) Pinned(v ssa.Value) bool {
	r.api.Lock()
	defer r.api.Unlock()
	return r.pinned(v)
}

// StopMethod returns the method of t (or *t) that ends a value's life when
// t has no release method of its own but one by another name (a Cancel or
// Quit whose body releases something), or nil.
func (r *Result) StopMethod(t types.Type) *types.Func {
	r.api.Lock()
	defer r.api.Unlock()
	if m, ok := r.IsResource(t); ok && m != nil {
		return nil
	}
	return r.stopMethod(t)
}

// stopNameOrder is stopNames, sorted.
var stopNameOrder = slices.Sorted(maps.Keys(stopNames))

// stopMethod is StopMethod without the lock, for any t.
func (r *Result) stopMethod(t types.Type) *types.Func {
	if _, isIface := t.Underlying().(*types.Interface); isIface {
		return nil
	}
	for _, name := range stopNameOrder {
		if m := r.lookupMethod(t, name); m != nil && r.releasesReceiver(m, true) {
			return m
		}
	}
	// A release verb with a qualifier (StopAndWait), in name order.
	mt := t
	if _, ok := t.(*types.Pointer); !ok {
		mt = types.NewPointer(t)
	}
	r.mu.Lock()
	ms := r.msets.MethodSet(mt)
	r.mu.Unlock()
	var found *types.Func
	for sel := range ms.Methods() {
		m, ok := sel.Obj().(*types.Func)
		if !ok || !stopPrefixed(m.Name()) || found != nil && found.Name() < m.Name() {
			continue
		}
		if r.releasesReceiver(m, true) {
			found = m
		}
	}
	return found
}
