package handler

import (
	stdlog "log"
	"net/http"
	"net/http/httputil"
	"net/url"
)

// BuildProxy runs on every configuration reload; the writer it gives the
// error log outlives the call, so no deferred Close can fix it.
func BuildProxy(l Logger, target *url.URL) http.Handler {
	p := httputil.NewSingleHostReverseProxy(target)
	p.ErrorLog = stdlog.New(l.Writer(), "", 0)
	return p
}
