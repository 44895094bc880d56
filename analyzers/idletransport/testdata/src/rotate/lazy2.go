package rotate

import (
	"context"
	"log"
	"net"
	"net/http"
	"time"
)

// The lazy helper called under a nil test, from a function with a deferred
// closure that captures the receiver.
type Server2 struct {
	client *http.Client
	logf   func(string)
}

func (s *Server2) initClient() {
	s.client = &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 4,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if s.logf != nil {
				s.logf(addr)
			}
			return net.Dial(network, addr)
		},
	}, Timeout: time.Minute}
}

func (s *Server2) handle(conn net.Conn, req *http.Request) bool {
	var err error
	defer func() {
		if s.logf != nil {
			s.logf(conn.RemoteAddr().String())
		}
		log.Print(err)
	}()
	if s.client == nil {
		s.initClient()
	}
	resp, err := s.client.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return err == nil
}

func (s *Server2) Serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go s.handle(c, nil)
	}
}
