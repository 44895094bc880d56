package pipes

import (
	"fmt"
	"io"
	"net/http"
)

// A pipe writer from an interface method: its Close only closes the pipe's
// channels, but the reader at the other end is a goroutine that waits for
// them, so it must be closed.
type pipeLogger interface {
	Writer() *io.PipeWriter
}

func auditHandler(l pipeLogger) http.HandlerFunc {
	return func(rw http.ResponseWriter, req *http.Request) {
		w := l.Writer() // want `pipes.pipeLogger.Writer creates a pipe writer whose reader goroutine exits only when the writer is closed; this runs on every request`
		fmt.Fprintf(w, "%s\n", req.URL.Path)
	}
}
