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
