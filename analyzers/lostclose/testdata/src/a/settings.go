package a

import "net"

// A constructor that takes its resources in a struct of settings owns
// what it keeps from the struct's fields, by pointer or by value; one that
// only reads them does not.

type clientSettings struct {
	Conn net.Conn
	Name string
}

type settingsClient struct {
	conn net.Conn
	name string
}

func newSettingsClient(s *clientSettings) *settingsClient {
	return &settingsClient{conn: s.Conn, name: s.Name}
}

func newSettingsClientV(s clientSettings) *settingsClient {
	return &settingsClient{conn: s.Conn, name: s.Name}
}

func (c *settingsClient) Close() error { return c.conn.Close() }

// probeSettings writes a greeting on the connection and keeps nothing.
func probeSettings(s *clientSettings) error {
	_, err := s.Conn.Write([]byte(s.Name))
	return err
}

func dialSettings(addr string) (*settingsClient, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return newSettingsClient(&clientSettings{Conn: conn, Name: addr}), nil
}

func dialSettingsV(addr string) (*settingsClient, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return newSettingsClientV(clientSettings{Conn: conn, Name: addr}), nil
}

func probeAddr(addr string) error {
	conn, err := net.Dial("tcp", addr) // want `conn \(net.Conn from net.Dial\) is never closed`
	if err != nil {
		return err
	}
	if err := probeSettings(&clientSettings{Conn: conn, Name: addr}); err != nil {
		println(err.Error())
	}
	return nil
}
