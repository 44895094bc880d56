package app

import (
	"fmt"
	"net/http"

	"example.com/crosspkg/logutil"
)

func Audit(rw http.ResponseWriter, req *http.Request) {
	w := logutil.NewWriter()
	fmt.Fprintln(w, req.URL.Path)
}

func Errors(rw http.ResponseWriter, req *http.Request) {
	logutil.ErrorLog("app ").Print(req.URL.Path)
}

func AuditClosed(rw http.ResponseWriter, req *http.Request) {
	w := logutil.NewWriter()
	defer w.Close()
	fmt.Fprintln(w, req.URL.Path)
}
