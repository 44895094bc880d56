package logs

import (
	"io"
	"net/http"
)

type Logger interface{ Writer() *io.PipeWriter }

func Handler(l Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pw := l.Writer()
		io.WriteString(pw, r.URL.Path)
	}
}
