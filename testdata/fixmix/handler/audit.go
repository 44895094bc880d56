package handler

import (
	"fmt"
	"io"
	"net/http"
)

// Logger hands out pipe-backed writers, as logrus does.
type Logger interface {
	Writer() *io.PipeWriter
}

func Audit(l Logger) http.HandlerFunc {
	return func(rw http.ResponseWriter, req *http.Request) {
		w := l.Writer()
		fmt.Fprintf(w, "%s %s\n", req.Method, req.URL.Path)
	}
}
