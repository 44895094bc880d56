package a

import (
	"io"
	"os"
	"os/exec"
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

// Kept by a command's Stderr, which cannot close it: lost.
func runLogged(cmd *exec.Cmd, name string) {
	f, err := os.Create(name) // want `f \(\*os.File from os.Create\) is never closed`
	if err != nil {
		return
	}
	cmd.Stderr = io.MultiWriter(f, os.Stderr)
	cmd.Run()
}
