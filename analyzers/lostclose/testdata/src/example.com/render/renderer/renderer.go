// Package renderer draws tables; Close of every renderer only finishes
// drawing, except the recorder's, which closes its file.
package renderer

import (
	"fmt"
	"io"
	"os"
)

type Plain struct{ w io.Writer }

func (p *Plain) Start(w io.Writer) error { p.w = w; return nil }
func (p *Plain) Row(cells []string)      { fmt.Fprintln(p.w, cells) }
func (p *Plain) Config() string          { return "plain" }
func (p *Plain) Close() error            { _, err := fmt.Fprintln(p.w, "---"); return err }

type Markdown struct{ w io.Writer }

func (m *Markdown) Start(w io.Writer) error { m.w = w; return nil }
func (m *Markdown) Row(cells []string)      { fmt.Fprintln(m.w, "|", cells, "|") }
func (m *Markdown) Config() string          { return "md" }
func (m *Markdown) Close() error {
	delete(widthCache, m) // forgets its measurements: no resource
	return nil
}

var widthCache = map[*Markdown]int{}

// Recorder is a tw.Sink that writes to a file.
type Recorder struct{ f *os.File }

func (r *Recorder) Start(w io.Writer) error { return nil }
func (r *Recorder) Row(cells []string)      { fmt.Fprintln(r.f, cells) }
func (r *Recorder) Close() error            { return r.f.Close() }

func NewRecorder(f *os.File) *Recorder { return &Recorder{f: f} }
