//go:build integration

package handler

import (
	"io"
	"net/http"
)

func Trace(l Logger) http.HandlerFunc {
	return func(rw http.ResponseWriter, req *http.Request) {
		w := l.Writer()
		io.WriteString(w, req.URL.Path)
	}
}
