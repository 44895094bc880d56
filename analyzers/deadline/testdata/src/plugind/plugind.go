// Package plugind is a tunnel client's plugin: the tunnel hands each stream
// to a Plugin through its interface, and the plugin reads the first bytes to
// pick a protocol before relaying. No caller of Handle can be seen, so the
// plugin is the one to bound its handshake.
package plugind

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"time"

	"plugind/wrap"
)

// ConnInfo is what the tunnel gives a plugin for one stream.
type ConnInfo struct {
	Conn  io.ReadWriteCloser
	Under net.Conn
}

type Plugin interface {
	Handle(ctx context.Context, info *ConnInfo)
}

var registry = map[string]func(target string) Plugin{}

func init() {
	registry["proxy"] = NewProxy
	registry["fixed"] = NewFixedProxy
}

type Proxy struct{ target string }

func NewProxy(target string) Plugin { return &Proxy{target: target} }

func (p *Proxy) Handle(_ context.Context, info *ConnInfo) { // want Handle:`handshakes\(2 via io.Reader.Read at plugind.go:43 kept=true\)`
	c := wrap.New(info.Conn, info.Under)
	sc, rd := wrap.NewShared(c)
	first := make([]byte, 7)
	if _, err := rd.Read(first); err != nil { // want `io.Reader.Read reads from the field Conn of parameter info of Handle with no deadline armed, and Handle is reached only through the plugind.Plugin interface`
		c.Close()
		return
	}
	if string(first) == "CONNECT" {
		req, err := http.ReadRequest(bufio.NewReader(sc))
		if err != nil {
			c.Close()
			return
		}
		p.relay(req.Host, sc)
		return
	}
	p.relay(p.target, sc)
}

func (p *Proxy) relay(addr string, c net.Conn) {
	defer c.Close()
	up, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return
	}
	defer up.Close()
	up.SetDeadline(time.Now().Add(time.Minute))
	go io.Copy(up, c)
	io.Copy(c, up)
}

// The fixed plugin bounds the handshake itself, and clears the deadline
// before relaying.
type FixedProxy struct{ Proxy }

func NewFixedProxy(target string) Plugin { return &FixedProxy{Proxy{target: target}} }

func (p *FixedProxy) Handle(_ context.Context, info *ConnInfo) {
	c := wrap.New(info.Conn, info.Under)
	sc, rd := wrap.NewShared(c)
	c.SetReadDeadline(time.Now().Add(time.Minute))
	first := make([]byte, 7)
	if _, err := rd.Read(first); err != nil {
		c.Close()
		return
	}
	if string(first) == "CONNECT" {
		req, err := http.ReadRequest(bufio.NewReader(sc))
		if err != nil {
			c.Close()
			return
		}
		c.SetReadDeadline(time.Time{})
		p.relay(req.Host, sc)
		return
	}
	c.SetReadDeadline(time.Time{})
	p.relay(p.target, sc)
}

// A handler called directly, whose caller arms the deadline: the caller
// decides, as for any parameter.
type Direct struct{ Proxy }

func (d *Direct) Serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		c.SetReadDeadline(time.Now().Add(time.Minute))
		go d.handle(c)
	}
}

func (d *Direct) handle(c net.Conn) { // want handle:`handshakes\(1 via net.Conn.Read at plugind.go:117 kept=true\)`
	first := make([]byte, 7)
	if _, err := c.Read(first); err != nil {
		c.Close()
		return
	}
	c.SetReadDeadline(time.Time{})
	d.relay(d.target, c)
}

// Handlers registered by name and called through the map: a function value.
var handlers = map[string]func(c net.Conn, target string){
	"peek": peekAndRelay,
	"ping": ping,
}

func peekAndRelay(c net.Conn, target string) { // want peekAndRelay:`handshakes`
	first := make([]byte, 4)
	if _, err := io.ReadFull(c, first); err != nil { // want `io.ReadFull reads from parameter c of peekAndRelay with no deadline armed, and peekAndRelay is reached only through a function value`
		c.Close()
		return
	}
	(&Proxy{}).relay(target, c)
}

// Read once and closed, not kept as a tunnel: no handshake to bound.
func ping(c net.Conn, _ string) { // want ping:`handshakes`
	defer c.Close()
	buf := make([]byte, 4)
	c.Read(buf)
	c.Write(buf)
}

// A handler given a bare io.ReadWriter through an interface cannot arm a
// deadline: the stream's owner must bound it.
type StreamHandler interface{ Serve(rw io.ReadWriter) error }

type streamRelay interface{ Relay(io.ReadWriter) }

type socksStream struct{ relay streamRelay }

func NewSocksStream() StreamHandler { return &socksStream{} }

func (s *socksStream) Serve(rw io.ReadWriter) error { // want Serve:`handshakes`
	ver := make([]byte, 1)
	if _, err := rw.Read(ver); err != nil {
		return err
	}
	s.relay.Relay(rw)
	return nil
}
