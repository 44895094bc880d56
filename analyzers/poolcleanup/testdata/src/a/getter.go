package a

import (
	"net"
	"sync"
)

// A pooled decoder whose connection field is filled only from a getter
// (the transport's Conn, which lends what the transport owns) owns
// nothing; one filled from a dial owns what it dialled.

type lentDecoder struct {
	n    int
	conn net.Conn
}

var lentDecoders = sync.Pool{
	New: func() any { return &lentDecoder{} },
}

func (d *lentDecoder) reset(c net.Conn) { *d = lentDecoder{conn: c} }

type connTransport interface{ Conn() net.Conn }

type tcpTransport struct{ c net.Conn }

func (t *tcpTransport) Conn() net.Conn { return t.c }

func decodeFrom(t connTransport) int {
	d := lentDecoders.Get().(*lentDecoder)
	d.reset(t.Conn())
	n := d.n
	lentDecoders.Put(d)
	return n
}

func decodeFromTCP(t *tcpTransport) int {
	d := lentDecoders.Get().(*lentDecoder)
	d.reset(t.Conn())
	n := d.n
	lentDecoders.Put(d)
	return n
}

type dialDecoder struct {
	conn net.Conn
}

var dialDecoders = sync.Pool{
	New: func() any { return &dialDecoder{} }, // want `dialDecoder`
}

func (d *dialDecoder) reset(c net.Conn) { d.conn = c }

func decodeDialled(addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	d := dialDecoders.Get().(*dialDecoder)
	d.reset(c)
	dialDecoders.Put(d)
}
