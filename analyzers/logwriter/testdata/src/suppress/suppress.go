package suppress

import (
	"io"
	"net/http"

	"github.com/sirupsen/logrus"
)

func ignored(rw http.ResponseWriter, req *http.Request) {
	//lint:ignore logwriter the process restarts after every request
	w := logrus.StandardLogger().Writer()
	io.WriteString(w, "x")
}

func ignoredSameLine(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer() //lint:ignore logwriter,deadline one-shot CGI handler
	io.WriteString(w, "x")
}

func noReason(rw http.ResponseWriter, req *http.Request) {
	/* want `//lint:ignore directive needs a reason` */ //lint:ignore logwriter
	w := logrus.StandardLogger().Writer() // want `never closed`
	io.WriteString(w, "x")
}

func unused(rw http.ResponseWriter, req *http.Request) {
	//lint:ignore logwriter nothing to suppress here // want `this //lint:ignore directive suppresses no logwriter finding`
	w := logrus.StandardLogger().Writer()
	defer w.Close()
}
