package c

import (
	"net/http"

	"b"
)

func handle(w http.ResponseWriter, r *http.Request) {
	rt := b.NewTransport() // want `returned by NewTransport`
	rt.RoundTrip(r)
}
