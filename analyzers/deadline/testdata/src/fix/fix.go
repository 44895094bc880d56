package fix

import (
	"net/http"
	"time"
)

func multi(h http.Handler) error {
	srv := &http.Server{ // want `ReadHeaderTimeout` `IdleTimeout`
		Addr:    ":8080",
		Handler: h,
	}
	return srv.ListenAndServe()
}

func oneLine(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h, IdleTimeout: time.Minute} // want `ReadHeaderTimeout`
	return srv.ListenAndServe()
}

func empty() error {
	srv := http.Server{} // want `ReadHeaderTimeout` `IdleTimeout`
	return srv.ListenAndServe()
}
