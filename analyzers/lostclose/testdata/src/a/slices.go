package a

import (
	"context"
	"fmt"
	"net"
)

// Sockets appended to a slice that is returned: the slice is the caller's,
// who ranges over it to serve and close each one.
func openAll(ctx context.Context, addrs []string) ([]net.PacketConn, error) {
	conns := make([]net.PacketConn, 0, len(addrs))
	var lc net.ListenConfig
	for _, a := range addrs {
		pc, err := lc.ListenPacket(ctx, "udp", a)
		if err != nil {
			for _, c := range conns {
				_ = c.Close()
			}
			return nil, fmt.Errorf("listen %s: %w", a, err)
		}
		conns = append(conns, pc)
	}
	return conns, nil
}

// The same sockets collected and dropped: each one is lost.
func countReachable(addrs []string) int {
	var conns []net.Conn
	for _, a := range addrs {
		c, err := net.Dial("tcp", a) // want `c \(net.Conn from net.Dial\) is never closed`
		if err != nil {
			continue
		}
		conns = append(conns, c)
	}
	return len(conns)
}

// Put in a slice of arguments, which cannot close it: still lost.
func describe(addr string) string {
	c, err := net.Dial("tcp", addr) // want `c \(net.Conn from net.Dial\) is never closed`
	if err != nil {
		return ""
	}
	args := []any{c.LocalAddr(), c}
	return fmt.Sprint(args...)
}

// A pool that keeps its connections in a slice field, filled by index, and
// closes them in its own Close: returned, it owns them.
type connSet struct {
	conns []net.Conn
}

func (s *connSet) Close() {
	for _, c := range s.conns {
		c.Close()
	}
}

func dialSet(addrs []string) *connSet {
	s := &connSet{conns: make([]net.Conn, len(addrs))}
	for i, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		s.conns[i] = c
	}
	return s
}

// A set that never closes what its slice holds: dropping it loses them.
type addrSet struct {
	conns []net.Conn
}

func (s *addrSet) first() net.Conn { return s.conns[0] }

func dialAddrs(addrs []string) int {
	s := &addrSet{conns: make([]net.Conn, len(addrs))}
	for i, a := range addrs {
		c, err := net.Dial("tcp", a) // want `c \(net.Conn from net.Dial\) is never closed`
		if err != nil {
			continue
		}
		s.conns[i] = c
	}
	return len(s.conns)
}
