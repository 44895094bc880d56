package a

import (
	"io"
	"os"
)

// A file kept by a writer that a package-level variable keeps lives as long
// as the process; one whose writer is dropped is lost.

var logOut io.Writer = os.Stdout

func setLogFile(name string) {
	f, err := os.Create(name)
	if err != nil {
		return
	}
	logOut = io.MultiWriter(f, os.Stdout)
}

func logToFileOnce(name, line string) {
	f, err := os.Create(name) // want `f \(\*os.File from os.Create\) is never closed`
	if err != nil {
		return
	}
	w := io.MultiWriter(f, os.Stdout)
	io.WriteString(w, line)
}
