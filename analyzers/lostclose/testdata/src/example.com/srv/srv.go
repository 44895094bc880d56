// Package srv holds servers whose constructors open nothing: their Stop
// returns at once while the socket Start opens is nil.
package srv

import (
	"errors"
	"net"
	"net/http"
)

type dhcpServer struct {
	addr string
	conf *config
	conn net.PacketConn
}

type config struct{ name string }

func (c *config) notify() {}

func newDHCPServer(addr string) (*dhcpServer, error) {
	if addr == "" {
		return nil, errors.New("no address")
	}
	return &dhcpServer{addr: addr, conf: &config{name: addr}}, nil
}

func (s *dhcpServer) Start() (err error) {
	s.conn, err = net.ListenPacket("udp", s.addr)
	return err
}

func (s *dhcpServer) Stop() error {
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close()
	s.conf.notify()
	s.conn = nil
	return err
}

func configure(w http.ResponseWriter, r *http.Request) {
	s4, err := newDHCPServer(r.FormValue("v4")) // nothing open yet
	if err != nil {
		return
	}
	if r.FormValue("v6") == "" {
		http.Error(w, "no v6", http.StatusBadRequest)
		return // s4 holds nothing
	}
	w.Header().Set("X-Server", s4.addr)
	_ = s4.Start()
}

// A server made with its socket open must be stopped.
func newOpenServer(addr string) (*dhcpServer, error) {
	c, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, err
	}
	return &dhcpServer{addr: addr, conf: &config{}, conn: c}, nil
}

func configureOpen(w http.ResponseWriter, r *http.Request) {
	s4, err := newOpenServer(r.FormValue("v4")) // want `s4 \(\*dhcpServer from newOpenServer\) is never stopped`
	if err != nil {
		return
	}
	if r.FormValue("v6") == "" {
		return
	}
	_ = s4.Stop()
}
