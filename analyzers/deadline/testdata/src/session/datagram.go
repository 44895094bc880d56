package session

import (
	"net"
	"time"
)

// A camera session over UDP: a datagram send never waits for the peer to
// read, so the writes need no deadline.
type udpSession struct {
	conn net.Conn
	out  chan []byte
}

func dialUDPSession(addr string) (*udpSession, error) {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return nil, err
	}
	s := &udpSession{conn: conn, out: make(chan []byte, 16)}
	go s.read()
	go s.ack()
	return s, nil
}

func (s *udpSession) read() {
	buf := make([]byte, 2048)
	for {
		n, err := s.conn.Read(buf)
		if err != nil {
			return
		}
		s.out <- append([]byte(nil), buf[:n]...)
	}
}

func (s *udpSession) ack() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		if _, err := s.conn.Write([]byte{1}); err != nil {
			return
		}
	}
}

// Still reported: the same session over TCP.
type tcpSession struct {
	conn net.Conn
}

func dialTCPSession(addr string) (*tcpSession, error) {
	conn, err := (&net.Dialer{}).Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &tcpSession{conn: conn}
	go s.read()
	return s, nil
}

func (s *tcpSession) read() {
	buf := make([]byte, 2048)
	for {
		if _, err := s.conn.Read(buf); err != nil {
			return
		}
		s.conn.Write(buf[:1]) // want `this write on field conn, the connection of a session this package reads in a loop`
	}
}
