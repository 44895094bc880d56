package dnsuser

import (
	"sync"

	"dnsclient"
)

// A pool of open DNS connections, reused for later queries.
type pool struct {
	mu    sync.Mutex
	conns []*dnsclient.Conn
	c     dnsclient.Client
}

func (p *pool) put(co *dnsclient.Conn) {
	p.mu.Lock()
	p.conns = append(p.conns, co)
	p.mu.Unlock()
}

// Exchange arms the deadlines itself: the answer cannot stall.
func (p *pool) ask(addr string, m []byte) ([]byte, error) {
	co, err := p.c.Dial(addr)
	if err != nil {
		return nil, err
	}
	r, err := p.c.Exchange(m, co) // no finding: Exchange arms both deadlines through the promoted setters
	if err != nil {
		co.Close()
		return nil, err
	}
	p.put(co)
	return r, nil
}

// Query does not.
func (p *pool) askSlow(addr string, m []byte) ([]byte, error) {
	co, err := p.c.Dial(addr)
	if err != nil {
		return nil, err
	}
	r, err := p.c.Query(m, co) // want `dnsclient.Conn.Read in dnsclient.Conn.ReadMsg \(at dnsclient.go:29\) in dnsclient.Client.Query \(at dnsclient.go:55\) reads from the connection from dnsclient.Client.Dial at dnsuser.go:39, which is kept as a tunnel, with no deadline armed`
	if err != nil {
		co.Close()
		return nil, err
	}
	p.put(co)
	return r, nil
}
