// Package statsconn wraps a connection and calls a stats function when it
// is closed, on every call (frp 2018's utils/net StatsConn): it counts
// nothing itself, so what its callers pass decides whether anything
// drifts.
package statsconn

import (
	"net"
	"sync"
)

type StatsConn struct {
	net.Conn
	statsFunc func()
}

func WrapStatsConn(c net.Conn, f func()) *StatsConn { // want WrapStatsConn:"p1 runs on every \\(\\*StatsConn\\).Close"
	return &StatsConn{Conn: c, statsFunc: f}
}

func (s *StatsConn) Close() error {
	err := s.Conn.Close()
	if s.statsFunc != nil {
		s.statsFunc()
	}
	return err
}

// OnceConn runs its callback once, whatever its callers pass.
type OnceConn struct {
	net.Conn
	once    sync.Once
	onClose func()
}

func WrapOnce(c net.Conn, f func()) *OnceConn {
	return &OnceConn{Conn: c, onClose: f}
}

func (s *OnceConn) Close() error {
	s.once.Do(s.onClose)
	return s.Conn.Close()
}
