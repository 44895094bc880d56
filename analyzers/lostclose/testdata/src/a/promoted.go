package a

import "net"

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
