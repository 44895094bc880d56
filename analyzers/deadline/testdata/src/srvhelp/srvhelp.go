// Package srvhelp holds helpers that serve or configure the server they are
// given, for the facts of the deadline check.
package srvhelp

import (
	"net/http"
	"time"
)

// Run serves srv.
func Run(srv *http.Server) error { // want Run:`serverParams\(serves\[0\]\)`
	return srv.ListenAndServe()
}

// Harden sets the timeouts of srv.
func Harden(srv *http.Server) { // want Harden:`serverParams\(sets\(0:IdleTimeout,ReadHeaderTimeout\)\)`
	srv.ReadHeaderTimeout = 5 * time.Second
	srv.IdleTimeout = time.Minute
}

// RunHardened configures and serves srv.
func RunHardened(name string, srv *http.Server) error { // want RunHardened:`serverParams\(serves\[1\] sets\(1:IdleTimeout,ReadHeaderTimeout\)\)`
	Harden(srv)
	return Run(srv)
}
