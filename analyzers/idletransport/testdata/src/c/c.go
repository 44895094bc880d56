package c

import (
	"net/http"

	"b"
)

func handle(w http.ResponseWriter, r *http.Request) {
	rt := b.NewTransport() // want `the new transport from b.NewTransport is built on every request`
	rt.RoundTrip(r)
}
