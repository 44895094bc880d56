package a

import (
	"net"
	"net/http"
	"sync"
)

// Pooled per-request state that holds only what the server lends each
// request, or whose connection is cleared before it goes back, owns
// nothing when the pool drops it.

type lentWriter struct {
	http.ResponseWriter
	status int
}

var lentWriters = sync.Pool{New: func() any { return &lentWriter{} }}

func wrapWriter(w http.ResponseWriter, r *http.Request, next http.Handler) {
	lw := lentWriters.Get().(*lentWriter)
	lw.ResponseWriter = w
	defer func() {
		lw.status = 0
		lentWriters.Put(lw)
	}()
	next.ServeHTTP(lw, r)
}

type routeCtx struct {
	req    *http.Request
	params []string
}

var routeCtxs = sync.Pool{New: func() any { return &routeCtx{params: make([]string, 0, 8)} }}

func route(w http.ResponseWriter, r *http.Request) {
	ctx := routeCtxs.Get().(*routeCtx)
	ctx.req = r
	ctx.params = ctx.params[:0]
	routeCtxs.Put(ctx)
}

// Cleared by a setter called with nil before the state goes back.
type connState struct {
	conn net.Conn
	n    int
}

func (s *connState) reset(c net.Conn) {
	s.conn = c
	s.n = 0
}

var connStates = sync.Pool{New: func() any { return new(connState) }}

func serveState(c net.Conn) {
	defer c.Close()
	st := connStates.Get().(*connState)
	st.reset(c)
	defer func() {
		st.reset(nil)
		connStates.Put(st)
	}()
	buf := make([]byte, 64)
	st.conn.Read(buf)
}

// A shell whose Close is its embedded connection's, closed and cleared
// before it goes back.
type connShell struct {
	net.Conn
	size int
}

var connShells sync.Pool

func acquireShell() *connShell {
	v, _ := connShells.Get().(*connShell)
	if v == nil {
		return &connShell{}
	}
	return v
}

func releaseShell(s *connShell) {
	if s.Conn != nil {
		s.Close()
	}
	s.Conn = nil
	s.size = 0
	connShells.Put(s)
}

func exchange(addr string) error {
	s := acquireShell()
	defer releaseShell(s)
	c, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	s.Conn = c
	_, err = s.Write([]byte("q"))
	return err
}

// Still reported: a pooled value that keeps a connection it dialled.
type dialedState struct {
	conn net.Conn
}

var dialedStates = sync.Pool{}

func keepDialed(addr string) {
	st := &dialedState{} // want `\*dialedState created here is put in a sync.Pool at line \d+, but its field conn \(net.Conn\) must be released`
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	st.conn = c
	dialedStates.Put(st)
}
