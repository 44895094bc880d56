package a

import (
	"net"
	"net/http"
	"sync"
)

// A pooled value that the package resets whole to its zero value before
// it goes back (*r = zero, after closing what it held) holds nothing in
// the pool.

var (
	zeroResp = http.Response{}

	respPool = sync.Pool{
		New: func() any { return &http.Response{} },
	}
)

func releaseResp(r *http.Response) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	*r = zeroResp
	respPool.Put(r)
}

type session struct {
	conn net.Conn
	n    int
}

var sessionPool = sync.Pool{
	New: func() any { return &session{} },
}

func releaseSession(s *session) {
	s.conn.Close()
	*s = session{}
	sessionPool.Put(s)
}

// A dialled connection kept in a pooled value that nothing resets.
type dialSession struct {
	conn net.Conn
}

var dialSessionPool = sync.Pool{
	New: func() any { return &dialSession{} }, // want `dialSession`
}

func useDialSession(addr string) {
	s := dialSessionPool.Get().(*dialSession)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	s.conn = c
	dialSessionPool.Put(s)
}
