// Package service builds a reverse proxy for every service on every
// configuration reload; the error logger is created once.
package service

import (
	stdlog "log"
	"net/http"
	"net/http/httputil"
	"time"

	"example.com/traefik11423/log"
	"example.com/traefik11423/logrus"
)

// errorLogger lives as long as the process: its pipe is never closed, and
// need not be.
var errorLogger = stdlog.New(log.WithoutContext().WriterLevel(logrus.DebugLevel), "", 0)

func buildProxy(roundTripper http.RoundTripper, flush time.Duration) (http.Handler, error) {
	proxy := &httputil.ReverseProxy{
		Director:      func(req *http.Request) {},
		Transport:     roundTripper,
		FlushInterval: flush,
		ErrorLog:      errorLogger,
	}
	return proxy, nil
}
