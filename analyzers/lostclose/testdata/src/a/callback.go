package a

import (
	"context"
	"net"
	"net/http"
)

// A constructor that hands what it builds to a callback parameter: every
// call in the package passes a literal that keeps it in the object it
// builds, so it is kept, not lost.

type nameServer interface {
	Name() string
	Query(ctx context.Context, q string) ([]net.IP, error)
}

type udpNameServer struct{ pc net.PacketConn }

func (s *udpNameServer) Name() string { return "udp" }
func (s *udpNameServer) Query(ctx context.Context, q string) ([]net.IP, error) {
	return nil, nil
}
func (s *udpNameServer) Close() error { return s.pc.Close() }

func newUDPNameServer() (*udpNameServer, error) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return &udpNameServer{pc: pc}, nil
}

func BuildNameServer(kind string, onCreated func(nameServer) error) error {
	if kind != "udp" {
		return nil
	}
	s, err := newUDPNameServer()
	if err != nil {
		return err
	}
	return onCreated(s)
}

type nsClient struct{ server nameServer }

func newNSClient(kind string) (*nsClient, error) {
	c := &nsClient{}
	err := BuildNameServer(kind, func(s nameServer) error {
		c.server = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

var nsClients []*nsClient

// InitNameServers builds one client per configured kind, for the life of
// the process.
func InitNameServers(kinds []string) error {
	for _, k := range kinds {
		c, err := newNSClient(k)
		if err != nil {
			return err
		}
		nsClients = append(nsClients, c)
	}
	return nil
}

// Still reported: a callback that only looks at what it is handed.

func ProbeNameServer(onCreated func(nameServer) string) string {
	s, err := newUDPNameServer() // want `s \(\*udpNameServer from newUDPNameServer\) is never closed`
	if err != nil {
		return ""
	}
	return onCreated(s)
}

func ServeProbe(w http.ResponseWriter, r *http.Request) {
	name := ProbeNameServer(func(s nameServer) string { return s.Name() })
	w.Write([]byte(name))
}
