package a

import (
	"net"
	"syscall"
)

// Regression (net/addrselect.go in the standard library): *net.UDPConn's
// Close is promoted from an embedded field; calling it closes the conn.
func srcAddrs(addrs []*net.UDPAddr) []net.Addr {
	srcs := make([]net.Addr, len(addrs))
	for i := range addrs {
		c, err := net.DialUDP("udp", nil, addrs[i])
		if err == nil {
			srcs[i] = c.LocalAddr()
			c.Close()
		}
	}
	return srcs
}

// And forgetting it is still a loss.
func srcAddrLost(addr *net.UDPAddr) net.Addr {
	c, err := net.DialUDP("udp", nil, addr) // want `c \(\*net.UDPConn from net.DialUDP\) is never closed`
	if err != nil {
		return nil
	}
	return c.LocalAddr()
}

// The same with the embedding in this package.
type fdConn struct{ fd int }

func (c *fdConn) Close() error { return syscall.Close(c.fd) }

type packetConn struct{ fdConn }

func dialPacket(addr string) (*packetConn, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	if err != nil {
		return nil, err
	}
	return &packetConn{fdConn{fd}}, nil
}

func probeAll(addrs []string) int {
	n := 0
	for _, a := range addrs {
		c, err := dialPacket(a)
		if err == nil {
			n++
			c.Close()
		}
	}
	return n
}

// Regression (frp's KCPTunnelSession.Init): setting up a receiver made for a
// connection fills fields that were empty; nothing is overwritten.
type tunnelSession struct{ lConn *net.UDPConn }

func (ts *tunnelSession) Close() error { return ts.lConn.Close() }

func (ts *tunnelSession) Init(listenConn *net.UDPConn, raddr *net.UDPAddr) error {
	listenConn.Close()
	lConn, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		return err
	}
	ts.lConn = lConn
	return nil
}

// Regression (frp's libnet.NewSharedConn, msg.NewConn): a wrapper built
// around the caller's connection to peek at it is a view of that
// connection, not a new resource; dropping the view loses nothing.
type sharedConn struct {
	net.Conn
	buf []byte
}

func newSharedConn(c net.Conn) *sharedConn { return &sharedConn{Conn: c} }

func peekHost(c net.Conn) string {
	sc := newSharedConn(c)
	b := make([]byte, 1)
	sc.Read(b)
	return string(b)
}

// But a view of a connection made here is as new as the connection.
func peekDialed(addr *net.UDPAddr) string {
	c, err := net.DialUDP("udp", nil, addr)
	if err != nil {
		return ""
	}
	sc := newSharedConn(c) // want `sc \(\*sharedConn from newSharedConn\) is never closed`
	b := make([]byte, 1)
	sc.Read(b)
	return string(b)
}
