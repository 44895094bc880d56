package a

import (
	"bufio"
	"net"
)

// A method that runs an object for its life and releases what the object
// holds before it returns ends it, whatever its name.

type session struct {
	conn net.Conn
	br   *bufio.Reader
	done chan struct{}
}

func dialSession(addr string) (*session, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &session{conn: c, br: bufio.NewReader(c), done: make(chan struct{})}, nil
}

func (s *session) Close() error {
	if s.conn != nil {
		return s.conn.Close()
	}
	return nil
}

// serve closes the connection, which is all Close releases.
func (s *session) serve() {
	defer close(s.done)
	go func() {
		<-s.done
	}()
	buf := make([]byte, 64)
	for {
		if _, err := s.br.Read(buf); err != nil {
			break
		}
	}
	s.conn.Close()
}

// run closes it with a deferred Close.
func (s *session) run() error {
	defer s.Close()
	_, err := s.br.ReadString('\n')
	return err
}

// process closes it only when the read fails.
func (s *session) process() error {
	if _, err := s.br.ReadString('\n'); err != nil {
		s.conn.Close()
		return err
	}
	return nil
}

func runSessions(addrs []string) {
	for _, addr := range addrs {
		s, err := dialSession(addr)
		if err != nil {
			continue
		}
		s.serve()
		t, err := dialSession(addr)
		if err != nil {
			continue
		}
		_ = t.run()
		u, err := dialSession(addr) // want `u \(\*session from dialSession\) is never closed`
		if err != nil {
			continue
		}
		_ = u.process()
	}
}
