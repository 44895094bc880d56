package a

import (
	"net"
	"net/http"
	"strings"
)

// A callee whose error is nil on every return (it has an error in its
// signature to fit an interface, or for later) never takes the error
// branch: nothing is lost there.

type request struct{ path string }

func (r *request) validate() error {
	if r.path == "" {
		r.path = "/"
	}
	return nil
}

func encode(b *strings.Builder, r *request) error {
	b.WriteString(r.path)
	return nil
}

func encodeAll(b *strings.Builder, r *request) error {
	if r == nil {
		return nil
	}
	return encode(b, r)
}

func forwardValidated(w http.ResponseWriter, hr *http.Request) {
	r := &request{path: hr.URL.Path}
	c, err := net.Dial("tcp", "backend:7")
	if err != nil {
		return
	}
	if err := r.validate(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return // never taken
	}
	var b strings.Builder
	if err := encodeAll(&b, r); err != nil {
		return // never taken: encode's error is nil too
	}
	defer c.Close()
	c.Write([]byte(b.String()))
}

// A callee that can fail loses the connection on its error return.

func (r *request) check() error {
	if r.path == "" {
		return net.ErrClosed
	}
	return nil
}

func forwardChecked(w http.ResponseWriter, hr *http.Request) {
	r := &request{path: hr.URL.Path}
	c, err := net.Dial("tcp", "backend:7") // want `c \(net.Conn from net.Dial\) is never closed on the path to the return at line 69`
	if err != nil {
		return
	}
	if err := r.check(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer c.Close()
	c.Write([]byte(r.path))
}

// A callee that may set its error in a deferred function is not followed.

func (r *request) guarded() (err error) {
	defer func() {
		if recover() != nil {
			err = net.ErrClosed
		}
	}()
	r.path = strings.TrimSpace(r.path)
	return nil
}

func forwardGuarded(w http.ResponseWriter, hr *http.Request) {
	r := &request{path: hr.URL.Path}
	c, err := net.Dial("tcp", "backend:7") // want `c \(net.Conn from net.Dial\) is never closed on the path to the return at line 94`
	if err != nil {
		return
	}
	if err := r.guarded(); err != nil {
		return
	}
	defer c.Close()
	c.Write([]byte(r.path))
}
