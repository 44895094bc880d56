// Package service builds a reverse proxy for every service on every
// configuration reload, with an error logger on a fresh pipe each time.
package service

import (
	stdlog "log"
	"net/http"
	"net/http/httputil"
	"time"

	"example.com/traefik11423/log"
	"example.com/traefik11423/logrus"
)

func buildProxy(roundTripper http.RoundTripper, flush time.Duration) (http.Handler, error) {
	proxy := &httputil.ReverseProxy{
		Director:      func(req *http.Request) {},
		Transport:     roundTripper,
		FlushInterval: flush,
		ErrorLog:      stdlog.New(log.WithoutContext().WriterLevel(logrus.DebugLevel), "", 0),
	}
	return proxy, nil
}
