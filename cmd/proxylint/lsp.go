package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"
	"golang.org/x/tools/go/analysis"

	"github.com/proxylint/proxylint/plugin"
)

// `proxylint lsp` is a language server on standard input and output. It
// publishes the findings of the package of each Go file the editor opens or
// saves, as diagnostics whose code is the check's name and whose link is the
// check's page, with the finding's related positions, and offers each
// suggested fix as a quick fix. It analyses files as they are on disk, on
// open and on save; the engine is the standalone one, kept alive between
// saves (lspsession.go).
//
// Settings are those of the golangci-lint plugin (enable, disable, checks:
// {<check>: {<option>: value}}), given as the initialization options or by
// workspace/didChangeConfiguration, either as they are or under a
// "proxylint" key. They apply on top of the command line's flags.

// lspServer is the state shared by the protocol handlers, which run on the
// connection's reading goroutine, and the one worker that analyses.
type lspServer struct {
	all      []*analysis.Analyzer
	cmdline  *settings
	flags    map[*flag.Flag]string // the checks' flags as the command line left them
	readOnly []string              // GOROOT and GOMODCACHE: files there are not analysed

	mu        sync.Mutex
	notify    glsp.NotifyFunc
	pending   []string        // files to analyse, in order of request
	primes    []string        // directories to prime when idle (see work)
	config    json.RawMessage // settings not applied yet
	open      map[string]protocol.DocumentUri
	published map[string][]lspFinding // file -> what its last diagnostics were
	wake      chan struct{}

	shutdown bool

	sess    *session        // the worker's alone, as is applied
	applied json.RawMessage // the settings in force
}

// An lspFinding is a published diagnostic and its quick fixes.
type lspFinding struct {
	diag  protocol.Diagnostic
	fixes []protocol.CodeAction
}

// serveLSP runs the server until the client exits. It returns 0 after a
// shutdown request and exit, and 1 when the connection ends otherwise, as the
// protocol asks.
func serveLSP(all []*analysis.Analyzer, s *settings, stderr io.Writer) int {
	srv := &lspServer{
		all:       all,
		cmdline:   s,
		flags:     map[*flag.Flag]string{},
		open:      map[string]protocol.DocumentUri{},
		published: map[string][]lspFinding{},
		wake:      make(chan struct{}, 1),
	}
	for _, a := range all {
		a.Flags.VisitAll(func(f *flag.Flag) { srv.flags[f] = f.Value.String() })
	}
	if out, err := exec.Command("go", "env", "GOROOT", "GOMODCACHE").Output(); err == nil {
		for _, dir := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if dir != "" {
				srv.readOnly = append(srv.readOnly, filepath.Clean(dir))
			}
		}
	}
	if err := srv.configure(nil); err != nil {
		fmt.Fprintf(stderr, "proxylint: %v\n", err)
		return 1
	}
	go srv.work()

	version, _, _ := buildVersion()
	h := &protocol.Handler{}
	h.Initialize = func(ctx *glsp.Context, params *protocol.InitializeParams) (any, error) {
		srv.mu.Lock()
		srv.notify = ctx.Notify
		srv.mu.Unlock()
		if opts := params.InitializationOptions; opts != nil {
			data, err := json.Marshal(opts)
			if err != nil {
				return nil, err
			}
			srv.setConfig(data)
		}
		kind := protocol.TextDocumentSyncKindNone
		return protocol.InitializeResult{
			Capabilities: protocol.ServerCapabilities{
				TextDocumentSync: protocol.TextDocumentSyncOptions{
					OpenClose: &protocol.True,
					Change:    &kind,
					Save:      protocol.SaveOptions{IncludeText: &protocol.False},
				},
				CodeActionProvider: protocol.CodeActionOptions{
					CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix},
				},
			},
			ServerInfo: &protocol.InitializeResultServerInfo{Name: "proxylint", Version: &version},
		}, nil
	}
	h.Initialized = func(*glsp.Context, *protocol.InitializedParams) error { return nil }
	h.SetTrace = func(*glsp.Context, *protocol.SetTraceParams) error { return nil }
	h.CancelRequest = func(*glsp.Context, *protocol.CancelParams) error { return nil }
	h.Shutdown = func(*glsp.Context) error {
		srv.mu.Lock()
		srv.shutdown = true
		srv.mu.Unlock()
		return nil
	}
	h.WorkspaceDidChangeConfiguration = func(_ *glsp.Context, params *protocol.DidChangeConfigurationParams) error {
		data, err := json.Marshal(params.Settings)
		if err != nil {
			return err
		}
		srv.setConfig(data)
		return nil
	}
	h.TextDocumentDidOpen = func(_ *glsp.Context, params *protocol.DidOpenTextDocumentParams) error {
		srv.request(params.TextDocument.URI)
		return nil
	}
	h.TextDocumentDidSave = func(_ *glsp.Context, params *protocol.DidSaveTextDocumentParams) error {
		srv.request(params.TextDocument.URI)
		return nil
	}
	h.TextDocumentDidClose = func(_ *glsp.Context, params *protocol.DidCloseTextDocumentParams) error {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if name, err := uriPath(params.TextDocument.URI); err == nil {
			delete(srv.open, name)
		}
		return nil
	}
	h.TextDocumentCodeAction = func(_ *glsp.Context, params *protocol.CodeActionParams) (any, error) {
		return srv.codeActions(params), nil
	}

	serveStdio(h)
	// The protocol wants 0 after a shutdown request and 1 otherwise. (glsp's
	// handler refuses the exit notification that follows a shutdown, as
	// sent to an uninitialised server; serveStdio closes the connection all
	// the same, so the shutdown is what tells.)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if !srv.shutdown {
		return 1
	}
	return 0
}

// request records the file at uri as open and queues the analysis of its
// package, unless the file is the standard library's or a module version's,
// where an editor goes to read a definition: nobody edits those, and
// analysing one would cost a cold analysis of its graph.
func (srv *lspServer) request(uri protocol.DocumentUri) {
	name, err := uriPath(uri)
	if err != nil || !strings.HasSuffix(name, ".go") {
		return
	}
	for _, dir := range srv.readOnly {
		if rel, err := filepath.Rel(dir, name); err == nil && filepath.IsLocal(rel) {
			return
		}
	}
	srv.mu.Lock()
	srv.open[name] = uri
	if !slices.Contains(srv.pending, name) {
		srv.pending = append(srv.pending, name)
	}
	srv.mu.Unlock()
	srv.poke()
}

func (srv *lspServer) poke() {
	select {
	case srv.wake <- struct{}{}:
	default:
	}
}

// setConfig queues new settings; the worker applies them between analyses,
// since they change the checks' flags.
func (srv *lspServer) setConfig(data []byte) {
	if t := bytes.TrimSpace(data); len(t) == 0 || string(t) == "null" || string(t) == "{}" {
		return // nothing said: keep what is set
	}
	srv.mu.Lock()
	srv.config = data
	srv.mu.Unlock()
	srv.poke()
}

// work is the worker: it applies new settings, then analyses the packages
// of the files asked for, one directory at a time, and publishes. When
// nothing is asked, it primes the packages whose findings came from the
// result cache on disk: their dependencies' types and facts, which a cache
// hit does not need but the next save does, are loaded then rather than on
// that save.
func (srv *lspServer) work() {
	for {
		srv.mu.Lock()
		config := srv.config
		srv.config = nil
		var files []string
		var prime string
		switch {
		case config != nil:
		case len(srv.pending) > 0:
			files, srv.pending = srv.pending, nil
		case len(srv.primes) > 0:
			prime, srv.primes = srv.primes[0], srv.primes[1:]
		}
		srv.mu.Unlock()
		switch {
		case config != nil:
			if err := srv.configure(config); err != nil {
				srv.message(protocol.MessageTypeError, fmt.Sprintf("proxylint: settings not applied: %v", err))
				continue
			}
			// Everything open is analysed afresh under the new settings.
			srv.mu.Lock()
			for name := range srv.open {
				if !slices.Contains(srv.pending, name) {
					srv.pending = append(srv.pending, name)
				}
			}
			slices.Sort(srv.pending)
			srv.mu.Unlock()
		case len(files) > 0:
			srv.analyse(files)
		case prime != "":
			if r, err := srv.sess.analyseDir(prime, true); err == nil {
				srv.log(protocol.MessageTypeLog, fmt.Sprintf("proxylint: %s: primed for the next save in %s (%d packages analysed)",
					prime, r.elapsed.Round(time.Millisecond), r.analysed))
			}
		default:
			<-srv.wake
		}
	}
}

// configure applies settings (nil: none) on top of the command line and
// starts a new session for them. On an error the settings in force stay.
func (srv *lspServer) configure(data json.RawMessage) error {
	sess, err := srv.apply(data)
	if err != nil {
		if srv.sess != nil {
			srv.sess, _ = srv.apply(srv.applied) // accepted before: it applies again
		}
		return err
	}
	srv.sess, srv.applied = sess, data
	return nil
}

// apply sets the checks' flags from the command line and the settings, and
// returns a session for the checks they select.
func (srv *lspServer) apply(data json.RawMessage) (*session, error) {
	var ps plugin.Settings
	if data != nil {
		var err error
		if ps, err = decodeLSPSettings(data); err != nil {
			return nil, err
		}
	}
	for f, v := range srv.flags {
		f.Value.Set(v)
	}
	checks, err := plugin.Configure(srv.all, ps)
	if err != nil {
		return nil, err
	}
	if len(ps.Enable) == 0 && len(ps.Disable) == 0 {
		checks = selectChecks(srv.all, srv.cmdline.enabled)
	}
	return newSession(checks, options{tags: srv.cmdline.tags, tests: testsWanted(srv.cmdline, checks)})
}

// decodeLSPSettings reads the plugin's settings, strictly, from the
// "proxylint" member of the settings object or from the object itself. An
// object with neither a "proxylint" member nor any of the plugin's keys is
// another server's (editors and multiplexers send one object to all), and
// reads as no settings.
func decodeLSPSettings(data []byte) (plugin.Settings, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return plugin.Settings{}, fmt.Errorf("settings must be an object: %v", err)
	}
	if inner, ok := members["proxylint"]; ok {
		data = inner
	} else if members["enable"] == nil && members["disable"] == nil && members["checks"] == nil {
		return plugin.Settings{}, nil // another server's
	}
	var ps plugin.Settings
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ps); err != nil {
		return plugin.Settings{}, fmt.Errorf("settings: %v (the keys are enable, disable and checks, as for the golangci-lint plugin)", err)
	}
	return ps, nil
}

// analyse analyses the packages of files and publishes their diagnostics.
func (srv *lspServer) analyse(files []string) {
	byDir := map[string][]string{}
	var dirs []string
	for _, name := range files {
		dir := filepath.Dir(name)
		if byDir[dir] == nil {
			dirs = append(dirs, dir)
		}
		byDir[dir] = append(byDir[dir], name)
	}
	for _, dir := range dirs {
		r, err := srv.sess.analyseDir(dir, false)
		if err != nil {
			srv.message(protocol.MessageTypeError, fmt.Sprintf("proxylint: %s: %v", dir, err))
			continue
		}
		if r.fromDisk {
			srv.mu.Lock()
			if !slices.Contains(srv.primes, dir) {
				srv.primes = append(srv.primes, dir)
			}
			srv.mu.Unlock()
		}
		load := "metadata kept"
		if r.listed {
			load = "metadata listed"
		}
		srv.log(protocol.MessageTypeInfo, fmt.Sprintf("proxylint: %s: %d findings in %s (%s in %s, keys in %s; %d packages analysed, %d kept from earlier runs)",
			dir, len(r.findings), r.elapsed.Round(time.Millisecond), load, r.loaded.Round(time.Millisecond), r.keyed.Round(time.Millisecond), r.analysed, r.kept))
		if r.log != "" {
			srv.log(protocol.MessageTypeWarning, strings.TrimSuffix(r.log, "\n"))
		}
		srv.publish(r, byDir[dir])
	}
}

// publish sends the diagnostics of every file of the run's packages that has
// findings, had them, or was asked for.
func (srv *lspServer) publish(r *sessionRun, asked []string) {
	byFile := map[string][]lspFinding{}
	content := map[string][]byte{}
	read := func(name string) []byte {
		data, ok := content[name]
		if !ok {
			data, _ = os.ReadFile(name)
			content[name] = data
		}
		return data
	}
	for _, f := range r.findings {
		name, lf := srv.lspFinding(f, read)
		if name != "" {
			byFile[name] = append(byFile[name], lf)
		}
	}
	names := map[string]bool{}
	for _, name := range asked {
		names[name] = true
	}
	for _, p := range r.pkgs {
		for _, name := range p.GoFiles {
			names[name] = true
		}
	}
	for name := range byFile {
		names[name] = true
	}
	srv.mu.Lock()
	type publication struct {
		name string
		uri  protocol.DocumentUri
		list []lspFinding
	}
	var out []publication
	for name := range names {
		list := byFile[name]
		_, had := srv.published[name]
		if len(list) == 0 && !had && !slices.Contains(asked, name) {
			continue
		}
		if len(list) == 0 {
			delete(srv.published, name)
		} else {
			srv.published[name] = list
		}
		uri, ok := srv.open[name]
		if !ok {
			uri = pathURI(name)
		}
		out = append(out, publication{name, uri, list})
	}
	srv.mu.Unlock()
	slices.SortFunc(out, func(a, b publication) int { return strings.Compare(a.name, b.name) })
	for _, p := range out {
		diags := []protocol.Diagnostic{}
		for _, lf := range p.list {
			diags = append(diags, lf.diag)
		}
		srv.send(protocol.ServerTextDocumentPublishDiagnostics, protocol.PublishDiagnosticsParams{URI: p.uri, Diagnostics: diags})
	}
}

// lspFinding converts a finding to a diagnostic and its fixes, and returns
// the file it lies in.
func (srv *lspServer) lspFinding(f *finding, read func(string) []byte) (string, lspFinding) {
	loc := func(pos, end token.Pos) (string, protocol.Range, bool) {
		if !pos.IsValid() {
			return "", protocol.Range{}, false
		}
		if !end.IsValid() || end < pos {
			end = pos
		}
		start, stop := f.fset.PositionFor(pos, false), f.fset.PositionFor(end, false)
		data := read(start.Filename)
		return start.Filename, protocol.Range{Start: lspPosition(data, start), End: lspPosition(data, stop)}, true
	}
	name, rng, ok := loc(f.diag.Pos, f.diag.End)
	if !ok {
		return "", lspFinding{}
	}
	severity := protocol.DiagnosticSeverityWarning
	source := "proxylint"
	href := f.diag.URL
	if href == "" {
		href = f.check.URL
	}
	d := protocol.Diagnostic{
		Range:    rng,
		Severity: &severity,
		Code:     &protocol.IntegerOrString{Value: f.check.Name},
		Source:   &source,
		Message:  f.diag.Message,
	}
	if href != "" {
		d.CodeDescription = &protocol.CodeDescription{HRef: href}
	}
	for _, rel := range f.diag.Related {
		if rname, rrng, ok := loc(rel.Pos, rel.End); ok {
			d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: srv.uriOf(rname), Range: rrng},
				Message:  rel.Message,
			})
		}
	}
	lf := lspFinding{diag: d}
	kind := protocol.CodeActionKindQuickFix
	for i, fix := range f.diag.SuggestedFixes {
		edit := &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{}}
		for _, te := range fix.TextEdits {
			ename, erng, ok := loc(te.Pos, te.End)
			if !ok {
				continue
			}
			uri := srv.uriOf(ename)
			edit.Changes[uri] = append(edit.Changes[uri], protocol.TextEdit{Range: erng, NewText: string(te.NewText)})
		}
		preferred := i == 0
		lf.fixes = append(lf.fixes, protocol.CodeAction{
			Title:       fix.Message,
			Kind:        &kind,
			Diagnostics: []protocol.Diagnostic{d},
			IsPreferred: &preferred,
			Edit:        edit,
		})
	}
	return name, lf
}

// uriOf is the URI of a file: the editor's own for an open one.
func (srv *lspServer) uriOf(name string) protocol.DocumentUri {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if uri, ok := srv.open[name]; ok {
		return uri
	}
	return pathURI(name)
}

// codeActions returns the quick fixes of the findings published for the
// document that the range touches.
func (srv *lspServer) codeActions(params *protocol.CodeActionParams) []protocol.CodeAction {
	actions := []protocol.CodeAction{}
	name, err := uriPath(params.TextDocument.URI)
	if err != nil {
		return actions
	}
	if only := params.Context.Only; len(only) > 0 && !slices.ContainsFunc(only, func(k protocol.CodeActionKind) bool {
		return k == protocol.CodeActionKindQuickFix || strings.HasPrefix(protocol.CodeActionKindQuickFix, k+".")
	}) {
		return actions
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for _, lf := range srv.published[name] {
		if overlaps(lf.diag.Range, params.Range) {
			actions = append(actions, lf.fixes...)
		}
	}
	return actions
}

// overlaps reports whether two ranges share a position, ends included.
func overlaps(a, b protocol.Range) bool {
	before := func(p, q protocol.Position) bool {
		return p.Line < q.Line || p.Line == q.Line && p.Character < q.Character
	}
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

// message shows a message to the user and logs it.
func (srv *lspServer) message(typ protocol.MessageType, text string) {
	srv.send(protocol.ServerWindowShowMessage, protocol.ShowMessageParams{Type: typ, Message: text})
	srv.log(typ, text)
}

// log writes to the client's log.
func (srv *lspServer) log(typ protocol.MessageType, text string) {
	srv.send(protocol.ServerWindowLogMessage, protocol.LogMessageParams{Type: typ, Message: text})
}

// send sends a notification to the client, once it has said hello.
func (srv *lspServer) send(method string, params any) {
	srv.mu.Lock()
	notify := srv.notify
	srv.mu.Unlock()
	if notify != nil {
		notify(method, params)
	}
}

// lspPosition is the protocol's position of posn in the file's content: the
// line, and the column in UTF-16 code units, the protocol's default.
func lspPosition(content []byte, posn token.Position) protocol.Position {
	line := max(posn.Line-1, 0)
	col := max(posn.Column-1, 0)
	start := posn.Offset - col
	if start < 0 || posn.Offset > len(content) {
		return protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(col)}
	}
	units := 0
	for b := content[start:posn.Offset]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
	}
	return protocol.Position{Line: protocol.UInteger(line), Character: protocol.UInteger(units)}
}

// uriPath is the file name of a file: URI.
func uriPath(uri protocol.DocumentUri) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", err
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("not a file URI: %s", uri)
	}
	name := u.Path
	if runtime.GOOS == "windows" {
		name = strings.TrimPrefix(name, "/")
	}
	return filepath.Clean(filepath.FromSlash(name)), nil
}

// pathURI is the file: URI of a file name.
func pathURI(name string) protocol.DocumentUri {
	name = filepath.ToSlash(name)
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	return (&url.URL{Scheme: "file", Path: name}).String()
}
