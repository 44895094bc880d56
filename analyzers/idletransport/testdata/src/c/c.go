package c

import (
	"net"
	"net/http"

	"b"
)

func handle(w http.ResponseWriter, r *http.Request) {
	rt := b.NewTransport() // want `the new transport from b.NewTransport is built on every request`
	rt.RoundTrip(r)
}

func handleConn(conn net.Conn) {
	s, err := b.StreamConn(conn)
	if err != nil {
		return
	}
	defer s.Close()
	b.Fallback(conn)
	b.PooledConn(conn) // want `b.PooledConn builds a new transport`
}
