package a

import (
	"crypto/tls"
	"errors"
	"net"
)

// A connection made under a condition and kept under the same condition
// tested again: the path that skips the keeping is the one that never
// made it.

type authConfig struct {
	admin  bool
	remote bool
}

type authority struct {
	cfg   *authConfig
	token string
	conn  net.Conn
	name  string
}

func (a *authority) Close() error {
	if a.conn != nil {
		return a.conn.Close()
	}
	return nil
}

func (a *authority) prepare() { a.name = "ca" }

func (a *authority) init() error {
	var c net.Conn
	if a.cfg.admin && a.token != "" {
		conn, err := net.Dial("tcp", a.token)
		if err != nil {
			return err
		}
		c = conn
	}
	a.prepare()
	if a.cfg.admin {
		a.conn = c
	}
	return nil
}

// The same, the second test on the same comparison.
func (a *authority) initToken() error {
	var c net.Conn
	if a.token != "" {
		conn, err := net.Dial("tcp", a.token)
		if err != nil {
			return err
		}
		c = conn
	}
	a.prepare()
	if a.token != "" {
		a.conn = c
	}
	return nil
}

// The same, on one value tested twice.
func (a *authority) initOnce(dial func() bool) error {
	var c net.Conn
	ok := dial()
	if ok {
		conn, err := net.Dial("tcp", a.token)
		if err != nil {
			return err
		}
		c = conn
	}
	a.prepare()
	if !ok {
		return nil
	}
	a.conn = c
	return errors.New("kept")
}

// The condition is changed between the two tests: the path where it no
// longer holds loses the connection.
func (a *authority) initReset() error {
	var c net.Conn
	if a.cfg.admin {
		conn, err := net.Dial("tcp", a.token) // want `conn \(net.Conn from net.Dial\) is never closed on the path to the return at line \d+`
		if err != nil {
			return err
		}
		c = conn
	}
	a.cfg.admin = a.token != ""
	if a.cfg.admin {
		a.conn = c
	}
	return nil
}

// Another condition keeps it: the path where it does not hold loses it.
func (a *authority) initOther() error {
	var c net.Conn
	if a.cfg.admin {
		conn, err := net.Dial("tcp", a.token) // want `conn \(net.Conn from net.Dial\) is never closed on the path to the return at line \d+`
		if err != nil {
			return err
		}
		c = conn
	}
	a.prepare()
	if a.cfg.remote {
		a.conn = c
	}
	return nil
}

// The error tested after the branch is, on the path that made the
// listener, an error tested nil before it (the branch's own error shadows
// it): that return never runs with the listener.
func listenShadowed(addr string, plain bool, start chan error) {
	host, err := parseHost(addr)
	if err != nil {
		start <- err
		return
	}
	var l net.Listener
	if plain {
		l, err = net.Listen("tcp", host)
	} else {
		cfg, err := loadCfg()
		if err != nil {
			start <- err
			return
		}
		l, err = tls.Listen("tcp", host, cfg)
	}
	if err != nil {
		start <- err
		return
	}
	defer l.Close()
	start <- nil
}

// Here the branch sets the outer error again from another call: the return
// after the test can run with the listener.
func listenReassigned(addr string, plain bool, start chan error) {
	host, err := parseHost(addr)
	if err != nil {
		start <- err
		return
	}
	var l net.Listener
	if plain {
		l, err = net.Listen("tcp", host)
	} else {
		cfg, _ := loadCfg()
		var lerr error
		l, lerr = tls.Listen("tcp", host, cfg) // want `l \(net.Listener from tls.Listen\) is never closed on the path to the return at line \d+`
		if lerr != nil {
			return
		}
		_, err = parseHost(host)
	}
	if err != nil {
		start <- err
		return
	}
	defer l.Close()
	start <- nil
}

func parseHost(addr string) (string, error) {
	if addr == "" {
		return "", errors.New("empty")
	}
	return addr, nil
}

func loadCfg() (*tls.Config, error) { return &tls.Config{}, nil }
