package a

import "net"

type peerSession interface {
	Close() error
	ID() string
}

type tcpSession struct{ conn net.Conn }

func (s *tcpSession) Close() error { return s.conn.Close() }
func (s *tcpSession) ID() string   { return s.conn.RemoteAddr().String() }

// run hands the session to the goroutine that reads it and closes it.
func (s *tcpSession) run() { go s.readLoop() }

func (s *tcpSession) readLoop() {
	defer s.Close()
	buf := make([]byte, 512)
	for {
		if _, err := s.conn.Read(buf); err != nil {
			return
		}
	}
}

// describe only uses the session.
func (s *tcpSession) describe() string { return s.ID() }

type sessionServer struct {
	ln     net.Listener
	closed bool
}

func (s *sessionServer) accept() (peerSession, error) {
	c, err := s.ln.Accept()
	if err != nil {
		return nil, err
	}
	return &tcpSession{conn: c}, nil
}

// A method that starts a goroutine on its receiver hands the session to it,
// through a type assertion too.
func (s *sessionServer) serve() {
	for !s.closed {
		client, err := s.accept()
		if err != nil {
			return
		}
		client.(*tcpSession).run()
	}
}

// A method that only uses the session does not take it.
func (s *sessionServer) serveLeaky() {
	for !s.closed {
		client, err := s.accept() // want `client \(peerSession from s.accept\) is never closed`
		if err != nil {
			return
		}
		println(client.(*tcpSession).describe())
	}
}
