// want package:"summarised"

// Package srv holds servers whose release method releases what Serve
// acquires later: made with nothing in them, they have nothing to release.
package srv

import "net"

type Server struct {
	Addr   string
	ln     net.Listener
	policy func(string) bool
}

func (s *Server) Serve() error { // want Serve:"releases"
	l, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	s.ln = l
	return nil
}

func (s *Server) Close() error { // want Close:"releases"
	if s.ln != nil {
		return s.ln.Close()
	}
	return nil
}

// NewServer opens nothing: its listener comes with Serve.
func NewServer(addr string) *Server {
	return &Server{Addr: addr, policy: func(string) bool { return true }}
}

// A TLS server around one of those is just as empty.
type TLSServer struct {
	*Server
	cert string
}

func NewTLSServer(addr, cert string) *TLSServer {
	return &TLSServer{Server: NewServer(addr), cert: cert}
}

// NewListening opens its listener at once: the caller must close it.
func NewListening(addr string) (*Server, error) { // want NewListening:"releases" NewListening:"new 0"
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Server{Addr: addr, ln: l}, nil
}
