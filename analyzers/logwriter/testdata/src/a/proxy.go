package a

import (
	"errors"
	"io"
	stdlog "log"
	"net/http"
	"net/http/httputil"

	"github.com/sirupsen/logrus"
	"tlog"
)

// The Traefik v2.11.18 shape: a writer per built proxy, through the
// project's own logger interface.
func buildProxy(rt http.RoundTripper) (http.Handler, error) {
	proxy := &httputil.ReverseProxy{
		Transport: rt,
		ErrorLog:  stdlog.New(tlog.WithoutContext().WriterLevel(logrus.DebugLevel), "", 0), // want `tlog.Logger.WriterLevel creates a pipe writer whose reader goroutine exits only when the writer is closed; this runs every time buildProxy builds a handler \(proxies rebuild handlers on configuration reloads\) and the writer is never closed`
	}
	return proxy, nil
}

// The v2.11.19 fix: one writer for the life of the process.
var errorLogger = stdlog.New(tlog.WithoutContext().WriterLevel(logrus.DebugLevel), "", 0)

func buildProxyFixed(rt http.RoundTripper) (http.Handler, error) {
	return &httputil.ReverseProxy{Transport: rt, ErrorLog: errorLogger}, nil
}

type handler struct{ log *logrus.Logger }

func (h *handler) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	w := h.log.Writer() // want `logrus.Logger.Writer creates a pipe writer .* this runs on every request \(it is a ServeHTTP method\) and the writer is never closed`
	io.WriteString(w, req.URL.Path)
}

type transport struct{ log *logrus.Entry }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	l := stdlog.New(t.log.WriterLevel(logrus.ErrorLevel), "rt ", 0) // want `on every round trip`
	l.Print(req.URL)
	return nil, errors.New("no")
}

// Closed on one path only.
func someClosed(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer() // want `the writer is not closed when someClosed returns at line 50`
	if req.Method == "HEAD" {
		return
	}
	w.Write([]byte("get"))
	w.Close()
}

// The defer comes after an early return.
func deferTooLate(rw http.ResponseWriter, req *http.Request) error {
	w := logrus.StandardLogger().Writer() // want `not closed when deferTooLate returns at line 60`
	if req.Method == "HEAD" {
		return errors.New("head")
	}
	defer w.Close()
	_, err := w.Write([]byte("get"))
	return err
}

// A finalizer is no release: the goroutine keeps the writer reachable.
func withFinalizer(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer() // want `never closed`
	setFinalizer(w)
	w.Write(nil)
}

func setFinalizer(w *io.PipeWriter) {}

// A helper of another package that returns the writer under an interface.
func viaHelper(rw http.ResponseWriter, req *http.Request) {
	w := tlog.NewLogWriter() // want `tlog.NewLogWriter creates a pipe writer .* never closed`
	w.Write([]byte(req.URL.Path))
}

// A helper of another package that leaks the writer itself.
func viaLeakyHelper(next http.Handler) http.Handler {
	l := tlog.ErrorLogger() // want `tlog.ErrorLogger creates a pipe writer with logrus.Logger.WriterLevel \(tlog.go:\d+\) and never closes it; this runs every time viaLeakyHelper builds a handler`
	l.Print("built")
	tlog.Indirect() // want `tlog.Indirect creates a pipe writer`
	return next
}

// A helper of this package that leaks.
func localLeak() *stdlog.Logger {
	return stdlog.New(logrus.StandardLogger().Writer(), "", 0) // want `on every request \(usesLocalLeak is an HTTP handler\), through its call in usesLocalLeak`
}

func usesLocalLeak(rw http.ResponseWriter, req *http.Request) {
	localLeak().Print(req.URL) // reported where localLeak creates it
}
