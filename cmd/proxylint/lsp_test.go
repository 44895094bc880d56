package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/proxylint/proxylint/internal/e2etest"
)

// An lspClient drives `proxylint lsp` over its standard input and output,
// as an editor does.
type lspClient struct {
	t      *testing.T
	cmd    *exec.Cmd
	conn   *jsonrpc2.Conn
	stderr bytes.Buffer

	mu        sync.Mutex
	wait      time.Duration               // how long each wait lasts
	published map[string][]lspPublication // by URI, in order of arrival
	messages  []string                    // window/showMessage
	logs      []string                    // window/logMessage
	arrived   chan struct{}
}

// The diagnostics as a client reads them (the code as the string it is).
type lspPublication struct {
	URI         string    `json:"uri"`
	Diagnostics []lspDiag `json:"diagnostics"`
}

type lspDiag struct {
	Range           protocol.Range `json:"range"`
	Severity        int            `json:"severity"`
	Code            string         `json:"code"`
	CodeDescription struct {
		Href string `json:"href"`
	} `json:"codeDescription"`
	Source             string                                  `json:"source"`
	Message            string                                  `json:"message"`
	RelatedInformation []protocol.DiagnosticRelatedInformation `json:"relatedInformation"`
}

type stdio struct {
	io.ReadCloser
	io.WriteCloser
}

func (s stdio) Close() error {
	s.WriteCloser.Close()
	return s.ReadCloser.Close()
}

func startLSP(t *testing.T, cacheDir string, args ...string) *lspClient {
	t.Helper()
	c := &lspClient{t: t, wait: lspWait, published: map[string][]lspPublication{}, arrived: make(chan struct{}, 1)}
	c.cmd = exec.Command(binary, append([]string{"lsp"}, args...)...)
	c.cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "PROXYLINT_CACHE="+cacheDir)
	c.cmd.Stderr = &c.stderr
	in, err := c.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
	})
	stream := jsonrpc2.NewBufferedStream(stdio{out, in}, jsonrpc2.VSCodeObjectCodec{})
	c.conn = jsonrpc2.NewConn(context.Background(), stream, jsonrpc2.HandlerWithError(c.handle))
	return c
}

// handle receives the server's notifications.
func (c *lspClient) handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	if req.Params == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch req.Method {
	case "textDocument/publishDiagnostics":
		var p lspPublication
		if err := json.Unmarshal(*req.Params, &p); err != nil {
			c.t.Errorf("publishDiagnostics: %v: %s", err, *req.Params)
			return nil, nil
		}
		c.published[p.URI] = append(c.published[p.URI], p)
	case "window/showMessage":
		var p protocol.ShowMessageParams
		json.Unmarshal(*req.Params, &p)
		c.messages = append(c.messages, p.Message)
	case "window/logMessage":
		var p protocol.LogMessageParams
		json.Unmarshal(*req.Params, &p)
		c.logs = append(c.logs, p.Message)
		c.t.Logf("server log: %s", p.Message)
	}
	select {
	case c.arrived <- struct{}{}:
	default:
	}
	return nil, nil
}

const lspWait = 3 * time.Minute // a cold analysis type-checks net/http from source

// next waits for the next diagnostics published for uri.
func (c *lspClient) next(uri string) lspPublication {
	c.t.Helper()
	deadline := time.After(c.wait)
	for {
		c.mu.Lock()
		if list := c.published[uri]; len(list) > 0 {
			c.published[uri] = list[1:]
			c.mu.Unlock()
			return list[0]
		}
		c.mu.Unlock()
		select {
		case <-c.arrived:
		case <-deadline:
			c.t.Fatalf("no diagnostics for %s in %v; server stderr:\n%s", uri, c.wait, c.stderr.String())
		}
	}
}

// message waits for a window/showMessage that matches re.
func (c *lspClient) message(re string) {
	c.t.Helper()
	c.waitFor(&c.messages, re)
}

// waitFor waits for a message of the list that matches re.
func (c *lspClient) waitFor(list *[]string, re string) {
	c.t.Helper()
	deadline := time.After(c.wait)
	for {
		c.mu.Lock()
		for _, m := range *list {
			if regexp.MustCompile(re).MatchString(m) {
				c.mu.Unlock()
				return
			}
		}
		c.mu.Unlock()
		select {
		case <-c.arrived:
		case <-deadline:
			c.t.Fatalf("no message matching %q in %v", re, c.wait)
		}
	}
}

func (c *lspClient) call(method string, params, result any) {
	c.t.Helper()
	if err := c.conn.Call(context.Background(), method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *lspClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *lspClient) open(uri, name string) {
	c.t.Helper()
	text, err := os.ReadFile(name)
	if err != nil {
		c.t.Fatal(err)
	}
	c.notify("textDocument/didOpen", protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: uri, LanguageID: "go", Version: 1, Text: string(text),
	}})
}

func (c *lspClient) save(uri string) {
	c.t.Helper()
	c.notify("textDocument/didSave", protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
}

func fileURI(name string) string { return "file://" + filepath.ToSlash(name) }

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLSP drives `proxylint lsp` as an editor would: a file of the
// standard library is left alone; the Traefik reproduction's finding
// appears when its file is opened, with the check's name as its code and
// its page as its link, and goes away when the fixed file is saved; a finding with a suggested fix offers it as a quick fix
// whose edit, applied and saved, clears the finding; a finding's related
// position is a related location; settings select checks and set their
// options, and a bad one is shown to the user.
func TestLSP(t *testing.T) {
	needBinary(t)
	traefik := e2etest.CopyModule(t, testdata("traefik-11423", "before"))
	fixable := e2etest.CopyModule(t, testdata("fixable"))
	proxy := filepath.Join(traefik, "service", "proxy.go")
	handler := filepath.Join(fixable, "handler", "handler.go")
	proxyURI, handlerURI := fileURI(proxy), fileURI(handler)

	c := startLSP(t, t.TempDir())
	rootURI := fileURI(traefik)
	var init struct {
		Capabilities struct {
			CodeActionProvider struct {
				CodeActionKinds []string `json:"codeActionKinds"`
			} `json:"codeActionProvider"`
			TextDocumentSync struct {
				OpenClose bool `json:"openClose"`
				Save      any  `json:"save"`
			} `json:"textDocumentSync"`
		} `json:"capabilities"`
		ServerInfo struct {
			Name string `json:"name"`
		} `json:"serverInfo"`
	}
	c.call("initialize", map[string]any{
		"processId":             os.Getpid(),
		"rootUri":               rootURI,
		"capabilities":          map[string]any{},
		"initializationOptions": map[string]any{"proxylint": map[string]any{"checks": map[string]any{"logwriter": map[string]any{"tests": false}}}},
	}, &init)
	if init.ServerInfo.Name != "proxylint" || !init.Capabilities.TextDocumentSync.OpenClose || init.Capabilities.TextDocumentSync.Save == nil ||
		strings.Join(init.Capabilities.CodeActionProvider.CodeActionKinds, ",") != "quickfix" {
		t.Errorf("initialize answered %+v", init)
	}
	c.notify("initialized", map[string]any{})

	// A file of the standard library, opened to read a definition, is not
	// analysed: nothing comes for it before the Traefik file's diagnostics.
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	stdFile := filepath.Join(strings.TrimSpace(string(goroot)), "src", "net", "http", "server.go")
	c.open(fileURI(stdFile), stdFile)

	// The Traefik reproduction: the finding, with its code and link.
	c.open(proxyURI, proxy)
	p := c.next(proxyURI)
	c.mu.Lock()
	if got := c.published[fileURI(stdFile)]; len(got) > 0 {
		t.Errorf("diagnostics published for the standard library's %s: %+v", stdFile, got)
	}
	c.mu.Unlock()
	if len(p.Diagnostics) != 1 {
		t.Fatalf("on opening proxy.go: %d diagnostics, want 1: %+v", len(p.Diagnostics), p)
	}
	d := p.Diagnostics[0]
	if d.Code != "logwriter" || d.Source != "proxylint" || d.Range.Start.Line != 19 || d.Range.Start.Character != 28 ||
		!strings.HasSuffix(d.CodeDescription.Href, "/docs/checks/logwriter.md") ||
		!strings.Contains(d.Message, "WriterLevel creates a pipe writer") {
		t.Errorf("the Traefik finding as published: %+v", d)
	}
	var actions []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: proxyURI},
		Range:        d.Range,
	}, &actions)
	// Its quick fix is Traefik's own: the error logger made once, in a
	// package-level variable.
	if len(actions) != 1 || actions[0].Title != "Create the writer once, in the package-level variable errorLog" || actions[0].Edit == nil {
		t.Fatalf("the Traefik finding's code actions: %+v", actions)
	}
	var edits []string
	for _, es := range actions[0].Edit.Changes {
		for _, e := range es {
			edits = append(edits, e.NewText)
		}
	}
	sort.Strings(edits)
	if len(edits) != 2 || edits[0] != "errorLog" || edits[1] != "var errorLog = stdlog.New(log.WithoutContext().WriterLevel(logrus.DebugLevel), \"\", 0)\n\n" {
		t.Errorf("the Traefik fix's edits: %q", edits)
	}

	// The fix on disk, saved: the finding goes away.
	copyFile(t, testdata("traefik-11423", "after", "service", "proxy.go"), proxy)
	start := time.Now()
	c.save(proxyURI)
	if p := c.next(proxyURI); len(p.Diagnostics) != 0 {
		t.Errorf("after saving the fix: %+v", p.Diagnostics)
	}
	t.Logf("save to diagnostics, warm: %v", time.Since(start))

	// A finding with a suggested fix: the quick fix, applied as an editor
	// applies it, and saved.
	c.open(handlerURI, handler)
	p = c.next(handlerURI)
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "logwriter" {
		t.Fatalf("on opening handler.go: %+v", p.Diagnostics)
	}
	actions = nil
	c.call("textDocument/codeAction", protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: handlerURI},
		Range:        p.Diagnostics[0].Range,
		Context:      protocol.CodeActionContext{Only: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
	}, &actions)
	if len(actions) != 1 || actions[0].Title != "Close w when the function returns" || actions[0].Edit == nil ||
		len(actions[0].Edit.Changes[handlerURI]) != 1 || actions[0].Kind == nil || *actions[0].Kind != "quickfix" {
		t.Fatalf("code actions on the fixable finding: %+v", actions)
	}
	src, _ := os.ReadFile(handler)
	fixed := applyEdits(t, string(src), actions[0].Edit.Changes[handlerURI])
	if !strings.Contains(fixed, "w := l.Writer()\n\t\tdefer w.Close()\n") {
		t.Fatalf("the quick fix gives:\n%s", fixed)
	}
	os.WriteFile(handler, []byte(fixed), 0o644)
	c.save(handlerURI)
	if p := c.next(handlerURI); len(p.Diagnostics) != 0 {
		t.Errorf("after saving the quick fix: %+v", p.Diagnostics)
	}

	// Related locations: lostclose names the return that loses the resource.
	plugins := filepath.Join(e2etest.CopyModule(t, testdata("traefik-11119", "before")), "plugins", "plugins.go")
	c.open(fileURI(plugins), plugins)
	p = c.next(fileURI(plugins))
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "lostclose" || len(p.Diagnostics[0].RelatedInformation) != 1 {
		t.Fatalf("on opening traefik-11119's plugins.go: %+v", p.Diagnostics)
	}
	if rel := p.Diagnostics[0].RelatedInformation[0]; rel.Location.URI != fileURI(plugins) || rel.Location.Range.Start.Line != 31 || rel.Message != "this return loses mw" {
		t.Errorf("the related location: %+v", rel)
	}

	// Settings: a check turned off, then on with its option; every open
	// file is analysed again under the new settings.
	copyFile(t, testdata("traefik-11423", "before", "service", "proxy.go"), proxy)
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"proxylint": map[string]any{"disable": []string{"logwriter"}}}})
	if p := c.next(proxyURI); len(p.Diagnostics) != 0 {
		t.Errorf("with logwriter disabled: %+v", p.Diagnostics)
	}
	c.next(handlerURI)
	c.next(fileURI(plugins))
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"enable": []string{"logwriter"}, "checks": map[string]any{"logwriter": map[string]any{"tests": true}}}})
	if p := c.next(proxyURI); len(p.Diagnostics) != 1 {
		t.Errorf("with logwriter enabled again: %+v", p.Diagnostics)
	}
	testURI := fileURI(filepath.Join(traefik, "service", "proxy_test.go"))
	if p := c.next(testURI); len(p.Diagnostics) != 1 || !strings.Contains(p.Diagnostics[0].Message, "every iteration of a loop") {
		t.Errorf("with logwriter.tests: proxy_test.go has %+v", p.Diagnostics)
	}
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"checks": map[string]any{"logwriter": map[string]any{"colour": "red"}}}})
	c.message(`settings not applied: proxylint: check logwriter has no option "colour"`)

	c.stop()
}

// TestLSPCommandLine: the server takes flags only, and a connection that
// ends without a shutdown request exits 1, as the protocol asks.
func TestLSPCommandLine(t *testing.T) {
	needBinary(t)
	e2etest.Run(t, ".", binary, "lsp", "./...").Check(t, 2, []string{`lsp takes flags, not packages`}, nil)
	e2etest.Run(t, ".", binary, "lsp", "-nosuchflag").Check(t, 2, []string{`flag provided but not defined: -nosuchflag`}, nil)
	cmd := exec.Command(binary, "lsp")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 || len(out) != 0 {
		t.Errorf("proxylint lsp on an empty standard input: %v, output %q; want exit status 1 and no output", err, out)
	}
}

// stop asks the server to shut down and exit, and checks that it exits 0.
func (c *lspClient) stop() {
	c.t.Helper()
	c.call("shutdown", nil, nil)
	c.notify("exit", nil)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			c.t.Errorf("proxylint lsp after shutdown and exit: %v; stderr:\n%s", err, c.stderr.String())
		}
	case <-time.After(time.Minute):
		c.t.Errorf("proxylint lsp did not exit")
	}
}

func (c *lspClient) initialize(root string) {
	c.t.Helper()
	c.call("initialize", map[string]any{"processId": os.Getpid(), "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil)
	c.notify("initialized", map[string]any{})
}

// TestLSPSaveTime measures, on the Go file PROXYLINT_LSP_TIME names (in a
// module whose dependencies are in the module cache), the time from didOpen
// and from didSave to the diagnostics: the first open on an empty result
// cache (cold), saves after edits to the file's body (warm), and, on a new
// server over the same result cache, the open (from that cache), the time
// the server then takes to load the dependencies for the next save, and that
// save. The file
// is edited in place and put back. docs/performance.md has the figures.
//
//	PROXYLINT_LSP_TIME=$PWD/modules/caddyhttp/reverseproxy/reverseproxy.go go test ./cmd/proxylint -run TestLSPSaveTime -v
func TestLSPSaveTime(t *testing.T) {
	name := os.Getenv("PROXYLINT_LSP_TIME")
	if name == "" {
		t.Skip("set PROXYLINT_LSP_TIME to a Go file to measure")
	}
	needBinary(t)
	orig, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile(name, orig, 0o644) })
	uri := fileURI(name)
	cache := t.TempDir()
	edits := 0
	saveEdited := func(c *lspClient) time.Duration {
		edits++
		os.WriteFile(name, append(slices.Clip(orig), fmt.Sprintf("\n// proxylint timing edit %d\n", edits)...), 0o644)
		start := time.Now()
		c.save(uri)
		p := c.next(uri)
		elapsed := time.Since(start)
		t.Logf("save %d: %d diagnostics in %v", edits, len(p.Diagnostics), elapsed)
		return elapsed
	}
	open := func(c *lspClient) time.Duration {
		start := time.Now()
		c.open(uri, name)
		p := c.next(uri)
		elapsed := time.Since(start)
		t.Logf("open: %d diagnostics in %v", len(p.Diagnostics), elapsed)
		return elapsed
	}

	const wait = 30 * time.Minute // a large module's first open, on a loaded machine
	c := startLSP(t, cache, strings.Fields(os.Getenv("PROXYLINT_LSP_ARGS"))...)
	c.wait = wait
	c.initialize(filepath.Dir(name))
	cold := open(c)
	var warm []time.Duration
	for range 7 {
		warm = append(warm, saveEdited(c))
	}
	peak := "unknown"
	if status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid)); err == nil {
		if m := regexp.MustCompile(`VmHWM:\s*(\d+) kB`).FindSubmatch(status); m != nil {
			peak = string(m[1]) + " kB"
		}
	}
	c.stop()
	slices.Sort(warm)
	t.Logf("the server's peak resident memory: %s", peak)

	c = startLSP(t, cache)
	c.wait = wait
	c.initialize(filepath.Dir(name))
	reopen := open(c)
	start := time.Now()
	c.waitFor(&c.logs, `primed for the next save`)
	primed := time.Since(start)
	firstSave := saveEdited(c)
	again := saveEdited(c)
	c.stop()
	t.Logf("cold open %v; warm saves: median %v (min %v, max %v); new server: open %v, primed %v later, first save %v, next save %v",
		cold.Round(time.Millisecond), warm[len(warm)/2].Round(time.Millisecond), warm[0].Round(time.Millisecond), warm[len(warm)-1].Round(time.Millisecond),
		reopen.Round(time.Millisecond), primed.Round(time.Millisecond), firstSave.Round(time.Millisecond), again.Round(time.Millisecond))
}

// applyEdits applies non-overlapping edits to src, as an editor does, with
// positions in UTF-16 units (ASCII here).
func applyEdits(t *testing.T, src string, edits []protocol.TextEdit) string {
	t.Helper()
	lines := strings.SplitAfter(src, "\n")
	offset := func(p protocol.Position) int {
		n := 0
		for _, l := range lines[:p.Line] {
			n += len(l)
		}
		return n + int(p.Character)
	}
	for i := len(edits) - 1; i >= 0; i-- { // the server lists them in order
		e := edits[i]
		src = src[:offset(e.Range.Start)] + e.NewText + src[offset(e.Range.End):]
	}
	return src
}
