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
func NewLogWriter() io.WriteCloser {
	return logrus.StandardLogger().Writer()
}

// NewLogWriterErr returns the writer in its first result.
func NewLogWriterErr(level logrus.Level) (io.Writer, error) {
	return logrus.StandardLogger().WriterLevel(level), nil
}

// ErrorLogger builds a standard logger on a pipe writer nobody can close.
func ErrorLogger() *stdlog.Logger {
	return stdlog.New(logrus.StandardLogger().WriterLevel(logrus.DebugLevel), "", 0) // want `logrus.Logger.WriterLevel creates a pipe writer .* this runs on every call of ErrorLogger and the writer is never closed`
}

// indirect leaks through a helper of the same package.
func Indirect() *stdlog.Logger {
	return ErrorLogger()
}

// CloseLater takes ownership of w and closes it once the work is done.
func CloseLater(w io.WriteCloser, done <-chan struct{}) {
	go func() {
		<-done
		w.Close()
	}()
}

// Keep stores w in a registry that closes it at shutdown.
func Keep(w io.Writer) {
	registry = append(registry, w)
}

var registry []io.Writer

// Use only writes to w.
func Use(w io.Writer) {
	w.Write([]byte("x"))
}
