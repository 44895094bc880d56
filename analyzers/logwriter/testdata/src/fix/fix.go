package fix

import (
	"fmt"
	"io"
	stdlog "log"
	"net/http"

	"github.com/sirupsen/logrus"
)

func handle(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer() // want `never closed`
	fmt.Fprintf(w, "%s %s", req.Method, req.URL)
	io.WriteString(w, "done")
}

// The writer outlives the function inside the logger: no Close fits, but
// the writer names nothing local, so it can be made once.
func handleLogger(rw http.ResponseWriter, req *http.Request) *stdlog.Logger {
	w := logrus.StandardLogger().Writer() // want `never closed`
	return stdlog.New(w, "", 0)
}

// Traefik's incident: a proxy built on every reload with an error logger on
// a fresh pipe; the fix makes the logger once.
func buildProxy(rt http.RoundTripper) http.Handler {
	return &proxy{
		rt:       rt,
		ErrorLog: stdlog.New(logrus.StandardLogger().WriterLevel(logrus.ErrorLevel), "", 0), // want `never closed`
	}
}

type proxy struct {
	rt       http.RoundTripper
	ErrorLog *stdlog.Logger
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// No fix: the level is the caller's.
func buildLeveled(level logrus.Level) http.Handler {
	return &proxy{ErrorLog: stdlog.New(logrus.StandardLogger().WriterLevel(level), "", 0)} // want `never closed`
}
