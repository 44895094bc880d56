// Package logrus is a stub of the parts of github.com/sirupsen/logrus that
// matter to logwriter: Writer and WriterLevel return the write end of a pipe
// that a goroutine drains until the writer is closed.
package logrus

import (
	"bufio"
	"io"
	"runtime"
)

type Level uint32

const (
	ErrorLevel Level = iota
	DebugLevel
)

type Logger struct{}

func New() *Logger { return &Logger{} }

var std = New()

func StandardLogger() *Logger { return std }

func (l *Logger) Writer() *io.PipeWriter { return l.WriterLevel(ErrorLevel) }

func (l *Logger) WriterLevel(level Level) *io.PipeWriter {
	r, w := io.Pipe()
	go l.drain(r, level)
	runtime.SetFinalizer(w, func(w *io.PipeWriter) { w.Close() })
	return w
}

func (l *Logger) drain(r *io.PipeReader, level Level) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		l.Print(s.Text())
	}
	r.Close()
}

func (l *Logger) Print(args ...any) {}

type Entry struct{ Logger *Logger }

func (e *Entry) Writer() *io.PipeWriter                  { return e.Logger.Writer() }
func (e *Entry) WriterLevel(level Level) *io.PipeWriter { return e.Logger.WriterLevel(level) }

func (e *Entry) Print(args ...any) {}

func WithField(key string, value any) *Entry { return &Entry{Logger: std} }
