package a

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
)

// A project's own test of an error, of errors.Is's shape, holds only where
// the creation failed: the file is nil there.

func isErr(err, target error) bool { return errors.Is(err, target) }

func IsMissing(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func serveList(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open("/srv/list")
	if isErr(err, fs.ErrNotExist) {
		return // nil there
	} else if err != nil {
		return
	}
	defer f.Close()
	w.Write(nil)
}

func serveList2(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open("/srv/list")
	if IsMissing(err) {
		return // nil there
	}
	if err != nil {
		return
	}
	defer f.Close()
	w.Write(nil)
}

// A predicate of another shape says nothing about the error: here the
// file is open when the check returns.
func unrelated(b bool) bool { return b }

func serveList3(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open("/srv/list") // want `f \(\*os.File from os.Open\) is never closed on the path to the return at line 50`
	if err != nil {
		return
	}
	if unrelated(r.URL.Path == "/") {
		return
	}
	defer f.Close()
	w.Write(nil)
}
