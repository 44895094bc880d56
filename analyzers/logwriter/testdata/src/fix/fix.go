package fix

import (
	"fmt"
	"io"
	stdlog "log"
	"net/http"

	"github.com/sirupsen/logrus"
)

func handle(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer() // want `never closed`
	fmt.Fprintf(w, "%s %s", req.Method, req.URL)
	io.WriteString(w, "done")
}

// No fix: the writer outlives the function inside the logger.
func handleLogger(rw http.ResponseWriter, req *http.Request) *stdlog.Logger {
	w := logrus.StandardLogger().Writer() // want `never closed`
	return stdlog.New(w, "", 0)
}
