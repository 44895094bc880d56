// want package:"summarised"

// Package logs holds the shapes of goroutine-backed writers the lifetime
// model summarises for logwriter: factories, helpers that drop them on every
// call, owners that close them, and holders that cannot.
package logs

import (
	"io"
	stdlog "log"
	"os/exec"
	"sync"

	"github.com/sirupsen/logrus"
)

// NewLogWriter returns a pipe writer under an interface type: callers must close it.
func NewLogWriter() io.WriteCloser { // want NewLogWriter:"new 0, goroutine 0"
	return logrus.StandardLogger().Writer()
}

// ErrorLogger loses the writer inside a logger that cannot close it.
func ErrorLogger() *stdlog.Logger { // want ErrorLogger:`drops goroutine-backed writer \(logrus.Logger.WriterLevel \(logs.go:\d+\)\)`
	return stdlog.New(logrus.StandardLogger().WriterLevel(logrus.DebugLevel), "", 0)
}

// Command wires a writer into exec.Cmd's Stdout, which nothing closes.
func Command(name string) *exec.Cmd { // want Command:`drops goroutine-backed writer`
	cmd := exec.Command(name)
	cmd.Stdout = logrus.StandardLogger().Writer()
	return cmd
}

// CloseLater takes ownership of w and closes it once the work is done.
func CloseLater(w io.WriteCloser, done <-chan struct{}) { // want CloseLater:"takes 0"
	go func() {
		<-done
		w.Close()
	}()
}

// Keep stores w in a registry for the life of the process.
func Keep(w io.Writer) { // want Keep:"takes 0"
	registry = append(registry, w)
}

var registry []io.Writer

// Use only writes to w: it neither takes nor holds it.
func Use(w io.Writer) {
	w.Write([]byte("x"))
}

// clogger is a writer whose constructor starts the goroutine that drains
// it; nothing can stop it.
type clogger struct{ lines chan []byte }

func (l *clogger) Write(p []byte) (int, error) { l.lines <- p; return len(p), nil }

func (l *clogger) loop() {
	for range l.lines {
	}
}

func newLogger() *clogger { // want newLogger:"new 0, goroutine 0, pinned 0"
	l := &clogger{lines: make(chan []byte)}
	go l.loop()
	return l
}

var mu sync.Mutex

// newLoggerLocked returns through its result cell, because of the defer: the
// value stored into the cell is what the caller gets.
func newLoggerLocked() *clogger { // want newLoggerLocked:"new 0, goroutine 0"
	mu.Lock()
	defer mu.Unlock()
	l := &clogger{lines: make(chan []byte)}
	go l.loop()
	return l
}

// lineWriter holds a pipe writer whose reader a goroutine drains.
type lineWriter struct{ pw *io.PipeWriter }

func (l *lineWriter) Write(p []byte) (int, error) { return l.pw.Write(p) }
func (l *lineWriter) Close() error                { return l.pw.Close() } // want Close:"releases"

func newLineWriter() *lineWriter { // want newLineWriter:"new 0, goroutine 0$"
	pr, pw := io.Pipe()
	go io.Copy(io.Discard, pr)
	return &lineWriter{pw: pw}
}

// A writer built and lost only on one branch is not lost on every call:
// whether the branch is taken is configuration this model cannot see.
func MaybeDebugLogger(debug bool) *stdlog.Logger {
	if debug {
		return stdlog.New(logrus.StandardLogger().WriterLevel(logrus.DebugLevel), "", 0)
	}
	return stdlog.Default()
}
