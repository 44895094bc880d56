package fix

import (
	"fmt"
	"io"
	"net/http"

	"github.com/sirupsen/logrus"
)

func handle(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer() // want `never closed`
	fmt.Fprintf(w, "%s %s", req.Method, req.URL)
	io.WriteString(w, "done")
}

// No fix: the writer outlives the function inside the logger.
func handleLogger(rw http.ResponseWriter, req *http.Request) *logrus.Logger {
	w := logrus.StandardLogger().Writer() // want `never closed`
	consume(w)
	return nil
}

func consume(w io.Writer) {}
