// Package use prints tables and records them.
package use

import (
	"os"

	"example.com/render/table"
)

// A table's Close only finishes drawing: every renderer of its interface
// that the table's package sees releases nothing, so a table printed and
// dropped loses nothing.
func Print(rows [][]string) {
	t := table.New(os.Stdout)
	for _, r := range rows {
		t.Append(r)
	}
}

// A recording's sink closes its file.
func Record(name string, rows [][]string) error {
	l, err := table.NewRecording(name) // want `l \(\*table.Log from table.NewRecording\) is never closed`
	if err != nil {
		return err
	}
	println(l != nil)
	return nil
}
