package analyzers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/proxylint/proxylint/analyzers"
)

// A generated package of proxy code that touches every check's pattern
// (correctly, so that each check does its full work and reports nothing):
// go test -bench=Check -run=^$ ./analyzers compares the checks' cost, and
// benchstat compares two commits.

const benchFile = `package proxy

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

type gauge%[1]d interface{ Add(float64); Set(float64) }

type tracker%[1]d struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	open  gauge%[1]d
}

func (t *tracker%[1]d) remove(c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.conns[c]; ok {
		delete(t.conns, c)
		t.open.Set(float64(len(t.conns)))
	}
}

type logger%[1]d interface{ Writer() *io.PipeWriter }

func handler%[1]d(l logger%[1]d) http.HandlerFunc {
	return func(rw http.ResponseWriter, req *http.Request) {
		w := l.Writer()
		defer w.Close()
		io.WriteString(w, req.URL.Path)
		t := &http.Transport{IdleConnTimeout: 90 * time.Second}
		defer t.CloseIdleConnections()
		resp, err := t.RoundTrip(req)
		if err == nil {
			io.Copy(rw, resp.Body)
			resp.Body.Close()
		}
	}
}

func pipe%[1]d(a, b net.Conn) {
	a.SetDeadline(time.Now().Add(time.Minute))
	b.SetDeadline(time.Now().Add(time.Minute))
	done := make(chan struct{}, 2)
	go func() { io.Copy(a, b); a.Close(); b.Close(); done <- struct{}{} }()
	go func() { io.Copy(b, a); a.Close(); b.Close(); done <- struct{}{} }()
	<-done
}

func dial%[1]d(ctx context.Context, addr string) (net.Conn, error) {
	ch := make(chan net.Conn, 1)
	go func() {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			ch <- c
		}
		close(ch)
	}()
	select {
	case c := <-ch:
		return c, nil
	case <-ctx.Done():
		go func() {
			if c, ok := <-ch; ok {
				c.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

func serve%[1]d(l net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	return srv.Serve(l)
}

var pool%[1]d = sync.Pool{New: func() any { return new([]byte) }}
`

func loadBenchPackage(b *testing.B, files int) []*packages.Package {
	b.Helper()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/proxy\n\ngo 1.24\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for i := range files {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.go", i)), []byte(fmt.Sprintf(benchFile, i)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		b.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		b.Fatal("the generated package does not load")
	}
	return pkgs
}

func BenchmarkCheck(b *testing.B) {
	pkgs := loadBenchPackage(b, 100)
	run := func(b *testing.B, as []*analysis.Analyzer) {
		for b.Loop() {
			graph, err := checker.Analyze(as, pkgs, nil)
			if err != nil {
				b.Fatal(err)
			}
			for act := range graph.All() {
				if act.Err != nil {
					b.Fatalf("%s: %v", act, act.Err)
				}
				if act.IsRoot && len(act.Diagnostics) > 0 {
					var msgs []string
					for _, d := range act.Diagnostics {
						msgs = append(msgs, act.Package.Fset.Position(d.Pos).String()+": "+d.Message)
					}
					b.Fatalf("findings on the benchmark's correct code:\n%s", strings.Join(msgs[:min(len(msgs), 5)], "\n"))
				}
			}
		}
	}
	for _, a := range analyzers.All() {
		b.Run(a.Name, func(b *testing.B) { run(b, []*analysis.Analyzer{a}) })
	}
	b.Run("suite", func(b *testing.B) { run(b, analyzers.All()) })
}
