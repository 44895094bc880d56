package typeparams

import (
	"io"
	"net/http"

	"github.com/sirupsen/logrus"
)

type Writerer interface{ Writer() *io.PipeWriter }

func leak[L Writerer](l L) http.Handler {
	w := l.Writer() // want `never closed`
	io.WriteString(w, "built")
	return nil
}

func closed[L Writerer](rw http.ResponseWriter, req *http.Request, l L) {
	w := l.Writer()
	defer w.Close()
}

func returns[T any](l *logrus.Logger) (*io.PipeWriter, T) {
	var zero T
	return l.Writer(), zero
}

func use(rw http.ResponseWriter, req *http.Request) {
	w, _ := returns[int](logrus.StandardLogger()) // want `never closed`
	w.Write(nil)
	_ = leak[*logrus.Logger]
	_ = closed[*logrus.Logger]
}
