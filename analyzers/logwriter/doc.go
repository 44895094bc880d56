// Package logwriter defines an Analyzer that reports goroutine-backed log
// writers created on paths that run again and again and never closed.
//
// # Analyzer logwriter
//
// logwriter: report pipe-backed log writers created per request or per build and never closed
//
// Incident: Traefik v2.11.18, traefik/traefik#11423.
//
// Some loggers hand out an io.Writer that is the write end of an io.Pipe:
// logrus' Logger.Writer, Logger.WriterLevel, Entry.Writer and
// Entry.WriterLevel start a goroutine that reads the pipe and logs each line,
// and that goroutine exits only when the writer is closed. logrus also sets a
// finalizer that would close the writer, but it never runs: the goroutine
// holds the reader, the reader points into the pipe the writer shares, so the
// writer stays reachable for as long as the goroutine lives.
//
// Creating such a writer once, in a package-level variable, an init function,
// main or a sync.Once, is fine. Creating it on a path that runs repeatedly
// leaks one goroutine and its buffers on every run. Traefik v2.11.17 and
// v2.11.18 built
//
//	ErrorLog: stdlog.New(log.WithoutContext().WriterLevel(logrus.DebugLevel), "", 0),
//
// inside the httputil.ReverseProxy built for every service on every
// configuration reload; memory doubled and grew until the process was killed
// (traefik/traefik#11423). v2.11.19 moved the expression into a package-level
// variable.
//
// The check asks passes/lifetime, the suite's one ownership model, for the
// goroutine-backed writers each function creates, and reports one when
//
//   - the value owns a goroutine that ends only when it is closed: an
//     *io.PipeWriter (whatever function or interface method returns it), the
//     writer half of io.Pipe() whose reader is handed to a goroutine, a
//     writer whose constructor starts the goroutine that drains it, or the
//     result of a function that returns one of these (across packages,
//     through the model's facts);
//   - it is lost on some path: not closed (a deferred Close, a Close on each
//     path, a helper that closes its argument), not returned to the caller,
//     and not kept by an owner that can close it or lives for the process.
//     A hand-off counts only where the new owner can release it: an
//     exec.Cmd's Stdout, a *log.Logger from log.New, io.MultiWriter or a
//     struct without a Close keep the writer alive but can never close it;
//   - and the path runs more than once: an HTTP handler, a ServeHTTP or
//     RoundTrip method, a function that takes a connection or builds an
//     http.Handler, http.RoundTripper or httputil.ReverseProxy, a closure made
//     in such a function, a loop outside main and init, or a function called
//     from one of these in the same package. A function of unknown frequency
//     that loses the writer on every call is reported too: nothing can ever
//     close it, so only a single call would be harmless.
//
// A function of another package that loses a writer on every call is a
// leak where it is called on a repeated path: such calls are reported too.
// Writers that own no goroutine (zerolog, zap, slog handlers, log.Writer())
// are never reported. Test files are not analysed unless -logwriter.tests
// is set.
//
// Bad: a writer and its goroutine for every proxy built.
//
//	func buildProxy(rt http.RoundTripper) (http.Handler, error) {
//		return &httputil.ReverseProxy{
//			Transport: rt,
//			ErrorLog:  stdlog.New(logger.WriterLevel(logrus.DebugLevel), "", 0),
//		}, nil
//	}
//
// Good: one writer for the life of the process.
//
//	var errorLog = stdlog.New(logger.WriterLevel(logrus.DebugLevel), "", 0)
//
//	func buildProxy(rt http.RoundTripper) (http.Handler, error) {
//		return &httputil.ReverseProxy{Transport: rt, ErrorLog: errorLog}, nil
//	}
//
// Fix it by creating the writer once (a package-level variable or a
// sync.Once), or by closing it when its owner is done with it. Where the
// writer is only used inside the function, the suggested fix adds
// "defer w.Close()" after its creation. Where the writer outlives the
// function but the expression that makes it (with the calls that wrap it,
// such as log.New) names nothing local to the function, the suggested fix
// makes it once: a package-level variable, named after the field that keeps
// it, as Traefik's own fix for its incident did. Such a variable is
// initialised with the package, before main has configured anything.
//
// To suppress a finding, write "//lint:ignore logwriter reason" on the line
// before the statement.
package logwriter
