package fix

import (
	"net/http"
	stdtime "time"
)

var _ = stdtime.Second

func renamed(h http.Handler) error {
	srv := &http.Server{Handler: h} // want `ReadHeaderTimeout` `IdleTimeout`
	return srv.ListenAndServe()
}
