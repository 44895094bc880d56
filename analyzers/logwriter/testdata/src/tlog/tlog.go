// Package tlog is a project's own logging package wrapping logrus, as
// Traefik v2's pkg/log does: callers reach WriterLevel through an interface.
package tlog

import (
	"io"
	stdlog "log"

	"github.com/sirupsen/logrus"
)

// Logger is the project's logger interface.
type Logger interface {
	Print(args ...any)
	WriterLevel(level logrus.Level) *io.PipeWriter
}

// WithoutContext returns the main logger.
func WithoutContext() Logger { return logrus.WithField("a", 1) }

// NewLogWriter returns a pipe writer under an interface type: callers must close it.
func NewLogWriter() io.WriteCloser { // want NewLogWriter:`returnsWriter\(\[0\] from logrus.Logger.Writer\)`
	return logrus.StandardLogger().Writer()
}

// NewLogWriterErr returns the writer in its first result.
func NewLogWriterErr(level logrus.Level) (io.Writer, error) { // want NewLogWriterErr:`returnsWriter\(\[0\] from logrus.Logger.WriterLevel\)`
	return logrus.StandardLogger().WriterLevel(level), nil
}

// ErrorLogger builds a standard logger on a pipe writer nobody can close.
func ErrorLogger() *stdlog.Logger { // want ErrorLogger:`leaksWriter\(logrus.Logger.WriterLevel at tlog.go:\d+\)`
	return stdlog.New(logrus.StandardLogger().WriterLevel(logrus.DebugLevel), "", 0)
}

// indirect leaks through a helper of the same package.
func Indirect() *stdlog.Logger { // want Indirect:`leaksWriter\(logrus.Logger.WriterLevel at tlog.go:\d+\)`
	return ErrorLogger()
}

// CloseLater takes ownership of w and closes it once the work is done.
func CloseLater(w io.WriteCloser, done <-chan struct{}) { // want CloseLater:`ownsParam\(\[0\]\)`
	go func() {
		<-done
		w.Close()
	}()
}

// Keep stores w in a registry that closes it at shutdown.
func Keep(w io.Writer) { // want Keep:`ownsParam\(\[0\]\)`
	registry = append(registry, w)
}

var registry []io.Writer

// Use only writes to w.
func Use(w io.Writer) {
	w.Write([]byte("x"))
}
