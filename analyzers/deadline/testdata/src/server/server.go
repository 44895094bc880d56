package server

import (
	"net"
	"net/http"
	"time"

	"srvhelp"
)

func bare(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server served by ListenAndServe at server.go:13 has neither ReadHeaderTimeout nor ReadTimeout: a client that sends its request headers slowly` `neither IdleTimeout nor ReadTimeout: idle keep-alive connections are kept open forever`
	return srv.ListenAndServe()
}

func headerOnly(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h, ReadHeaderTimeout: 10 * time.Second} // want `has neither IdleTimeout nor ReadTimeout`
	return srv.ListenAndServeTLS("cert", "key")
}

func idleOnly(ln net.Listener, h http.Handler) error {
	srv := http.Server{Handler: h, IdleTimeout: time.Minute} // want `has neither ReadHeaderTimeout nor ReadTimeout`
	return srv.Serve(ln)
}

func readTimeout(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h, ReadTimeout: 30 * time.Second}
	return srv.ListenAndServe()
}

func both(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	return srv.ListenAndServe()
}

func assignedLater(h http.Handler, idle time.Duration) error {
	srv := &http.Server{Addr: ":8080", Handler: h}
	srv.ReadHeaderTimeout = 10 * time.Second
	if idle > 0 {
		srv.IdleTimeout = idle
	}
	return srv.ListenAndServe()
}

func varDecl(h http.Handler) {
	var srv = &http.Server{Handler: h} // want `ReadHeaderTimeout` `IdleTimeout`
	go srv.ListenAndServe()
}

// A method value handed to a runner serves the server too.
func methodValue(h http.Handler, run func(func() error)) {
	srv := &http.Server{Handler: h} // want `served by ListenAndServe at server.go:53 has neither ReadHeaderTimeout` `IdleTimeout`
	run(srv.ListenAndServe)
}

func direct(h http.Handler) error {
	return (&http.Server{Addr: ":1", Handler: h}).ListenAndServe() // want `ReadHeaderTimeout` `IdleTimeout`
}

// Built and never served here: whoever serves it decides.
func build(h http.Handler) *http.Server {
	return &http.Server{Handler: h}
}

func unused(h http.Handler) {
	srv := &http.Server{Handler: h}
	_ = srv
}

// Served by a helper of another package: reported.
func viaHelper(h http.Handler) error {
	srv := &http.Server{Handler: h} // want `served by Run at server.go:73 has neither ReadHeaderTimeout` `IdleTimeout`
	return srvhelp.Run(srv)
}

// Configured by a helper of another package: silent.
func hardened(h http.Handler) error {
	srv := &http.Server{Handler: h}
	srvhelp.Harden(srv)
	return srvhelp.Run(srv)
}

func hardenedAndRun(h http.Handler) error {
	srv := &http.Server{Handler: h}
	return srvhelp.RunHardened("api", srv)
}

// Options may set anything: silent.
func options(h http.Handler, opts ...func(*http.Server)) error {
	srv := &http.Server{Handler: h}
	for _, o := range opts {
		o(srv)
	}
	return srv.ListenAndServe()
}

// A field: built in one method, served in another.
type Server struct {
	http  *http.Server
	admin *http.Server
	other *http.Server
}

func New(h http.Handler) *Server {
	s := &Server{
		admin: &http.Server{Handler: h, ReadTimeout: time.Minute},
		other: &http.Server{Handler: h}, // never served: silent
	}
	s.http = &http.Server{Handler: h, IdleTimeout: time.Minute} // want `served by Serve at server.go:115 has neither ReadHeaderTimeout nor ReadTimeout`
	return s
}

func (s *Server) Start(ln net.Listener) error {
	go s.admin.ListenAndServe()
	return s.http.Serve(ln)
}

func helpers(ln net.Listener, h http.Handler) {
	go http.ListenAndServe(":6060", nil)           // want `http.ListenAndServe serves with a zero http.Server, which has no ReadHeaderTimeout, ReadTimeout or IdleTimeout`
	go http.ListenAndServeTLS(":443", "c", "k", h) // want `http.ListenAndServeTLS serves with a zero http.Server`
	http.Serve(ln, h)                              // want `http.Serve serves`
}

func suppressed(h http.Handler) error {
	//lint:ignore deadline served on a unix socket only reachable by root
	srv := &http.Server{Handler: h}
	return srv.ListenAndServe()
}

func noKeepAlives(h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: time.Second}
	srv.SetKeepAlivesEnabled(false)
	return srv.ListenAndServe()
}

// Loopback only: reported, ranked low.
func metricsLocal(h http.Handler) {
	srv := &http.Server{Addr: "127.0.0.1:9090", Handler: h} // want `served by ListenAndServe at server.go:\d+ \(low severity: loopback only, on "127.0.0.1:9090"\) has neither ReadHeaderTimeout` `\(low severity: loopback only`
	srv.ListenAndServe()
}

// Every interface: no such note.
func metricsAll(h http.Handler) {
	srv := &http.Server{Addr: "0.0.0.0:9090", Handler: h} // want `served by ListenAndServe at server.go:\d+ has neither ReadHeaderTimeout` `served by ListenAndServe at server.go:\d+ has neither IdleTimeout`
	srv.ListenAndServe()
}
