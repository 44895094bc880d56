package dialvia

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"time"

	"dialer"
)

type response struct{ status int }

// Read parses a response from a buffered reader.
func (r *response) Read(br *bufio.Reader) error {
	line, err := br.ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.Contains(line, "200") {
		return errors.New("refused")
	}
	r.status = 200
	return nil
}

// A CONNECT through a proxy dialed by another package's dialers, on one of
// two paths: the proxy's answer is awaited with no deadline.
func viaProxy(proxy, addr string, v6 bool) (net.Conn, error) {
	var c net.Conn
	var err error
	if v6 {
		c, err = dialer.DialDualStack(proxy)
	} else {
		c, err = dialer.Dial(proxy)
	}
	if err != nil {
		return nil, err
	}
	if _, err := c.Write([]byte("CONNECT " + addr + " HTTP/1.1\r\n\r\n")); err != nil {
		c.Close()
		return nil, err
	}
	var res response
	if err := res.Read(bufio.NewReader(c)); err != nil { // want `dialvia.response.Read reads from the connection dialed by dialer.Dial`
		c.Close()
		return nil, err
	}
	return c, nil
}

// Fixed: a deadline over the handshake, cleared after.
func viaProxyFixed(proxy, addr string, v6 bool) (net.Conn, error) { // want viaProxyFixed:`armsDeadline\[\] results\[0\]`
	var c net.Conn
	var err error
	if v6 {
		c, err = dialer.DialDualStack(proxy)
	} else {
		c, err = dialer.Dial(proxy)
	}
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("CONNECT " + addr + " HTTP/1.1\r\n\r\n")); err != nil {
		c.Close()
		return nil, err
	}
	var res response
	if err := res.Read(bufio.NewReader(c)); err != nil {
		c.Close()
		return nil, err
	}
	c.SetDeadline(time.Time{})
	return c, nil
}
