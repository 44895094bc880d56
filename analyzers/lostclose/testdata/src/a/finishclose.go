package a

import (
	"fmt"
	"io"
	"os"
)

// A Close that takes the writer it finishes drawing on releases nothing:
// a table rendered to stdout owns no descriptor.
type tableRenderer interface {
	Row(w io.Writer, cells []string)
	Close(w io.Writer) error
}

type plainRenderer struct{}

func (plainRenderer) Row(w io.Writer, cells []string) { fmt.Fprintln(w, cells) }
func (plainRenderer) Close(w io.Writer) error {
	_, err := fmt.Fprintln(w, "---")
	return err
}

type table struct {
	w         io.Writer
	r         tableRenderer
	streaming bool
	rows      [][]string
}

func newTable(w io.Writer) *table { return &table{w: w, r: plainRenderer{}} }

func (t *table) add(cells []string) { t.rows = append(t.rows, cells) }

func (t *table) render() {
	for _, row := range t.rows {
		t.r.Row(t.w, row)
	}
}

func (t *table) Close() error {
	if !t.streaming {
		return nil
	}
	return t.r.Close(t.w)
}

func printTable(results [][]string) {
	t := newTable(os.Stdout)
	for _, r := range results {
		t.add(r)
	}
	t.render()
}
