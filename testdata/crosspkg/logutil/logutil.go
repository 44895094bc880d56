// Package logutil hands out writers backed by a pipe and a goroutine.
package logutil

import (
	"bufio"
	"io"
	stdlog "log"
)

func pipe() *io.PipeWriter {
	r, w := io.Pipe()
	go func() {
		s := bufio.NewScanner(r)
		for s.Scan() {
			stdlog.Print(s.Text())
		}
	}()
	return w
}

// NewWriter returns a writer its caller must close.
func NewWriter() io.WriteCloser { return pipe() }

// ErrorLog returns a logger on a pipe nobody can close.
func ErrorLog(prefix string) *stdlog.Logger { return stdlog.New(pipe(), prefix, 0) }
