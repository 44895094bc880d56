package fix

import (
	"log"
	"net/http"
)

func noImport(h http.Handler) {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `ReadHeaderTimeout` `IdleTimeout`
	log.Fatal(srv.ListenAndServe())
}
