// Package relayutil holds connection helpers in another package than their
// callers, for the facts of the deadline check.
package relayutil

import (
	"io"
	"net"
	"sync"
	"time"
)

// ArmIdle arms a deadline on c.
func ArmIdle(c net.Conn, d time.Duration) { // want ArmIdle:`armsDeadline\[0\]`
	c.SetDeadline(time.Now().Add(d))
}

// Join copies both ways between a and b until either side ends.
func Join(a, b net.Conn) { // want Join:`relays\(\[0 1\] via io.Copy at relayutil.go:\d+\)`
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); io.Copy(a, b); a.Close() }()
	go func() { defer wg.Done(); io.Copy(b, a); b.Close() }()
	wg.Wait()
}

// JoinIdle copies both ways and arms an idle timeout per read.
func JoinIdle(a, b net.Conn, idle time.Duration) { // want JoinIdle:`armsDeadline\[0 1\]`
	go pump(a, b, idle)
	pump(b, a, idle)
}

func pump(dst, src net.Conn, idle time.Duration) { // want pump:`armsDeadline\[1\]`
	buf := make([]byte, 32<<10)
	for {
		src.SetReadDeadline(time.Now().Add(idle))
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

// DialUpstream dials addr and returns the connection as is.
func DialUpstream(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, 5*time.Second)
}

// idleConn is a connection whose every Read arms a deadline.
type idleConn struct {
	net.Conn
	idle time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) { // want Read:`armsDeadline\[0\]`
	c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	return c.Conn.Read(p)
}

// WithIdle wraps c in an idle-timeout connection.
func WithIdle(c net.Conn, idle time.Duration) net.Conn { // want WithIdle:`armsDeadline\[\] results\[0\]`
	return &idleConn{Conn: c, idle: idle}
}

// Pump copies src to dst, whatever they are: its callers decide.
func Pump(dst io.Writer, src io.Reader) (int64, error) { // want Pump:`relays\(\[0 1\] via io.Copy`
	return io.Copy(dst, src)
}

// Upstream dials too, under a name that does not say so: only its code (the
// lifetime model's summary) tells its callers the connection is new.
func Upstream(addr string) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ArmedUpstream returns its connection with an idle deadline armed.
func ArmedUpstream(addr string) (net.Conn, error) { // want ArmedUpstream:`armsDeadline\[\] results\[0\]`
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(time.Minute))
	return c, nil
}
