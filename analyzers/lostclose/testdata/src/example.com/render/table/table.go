// Package table streams tables through a renderer, and records them
// through a sink.
package table

import (
	"io"
	"os"

	"example.com/render/renderer"
	"example.com/render/tw"
)

type Table struct {
	w io.Writer
	r tw.Renderer
}

func New(w io.Writer) *Table { return &Table{w: w, r: &renderer.Plain{}} }

func (t *Table) Append(cells []string) { t.r.Row(cells) }

func (t *Table) Close() error { return t.r.Close() }

type Log struct{ s tw.Sink }

func NewLog(s tw.Sink) *Log { return &Log{s: s} }

func (l *Log) Close() error { return l.s.Close() }

func NewRecording(name string) (*Log, error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	return &Log{s: renderer.NewRecorder(f)}, nil
}
