package a

import (
	"context"
	"errors"
	"net"
	"net/http"
)

// A handle that a method of the resource returns keeps the resource in use
// (a client's bucket): returned inside a storage, the client lives as long
// as the storage, by design.
type blobClient struct{ conn net.Conn }

func newBlobClient(ctx context.Context, addr string) (*blobClient, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return &blobClient{conn: c}, nil
}

func (c *blobClient) Close() error { return c.conn.Close() }

func (c *blobClient) Bucket(name string) *bucketHandle { return &bucketHandle{c: c, name: name} }

type bucketHandle struct {
	c    *blobClient
	name string
}

func (b *bucketHandle) Put(v []byte) error {
	_, err := b.c.conn.Write(v)
	return err
}

type blobStorage struct{ bucket *bucketHandle }

func newBlobStorage(ctx context.Context, addr, bucket string) (*blobStorage, error) {
	if bucket == "" {
		return nil, errors.New("no bucket")
	}
	c, err := newBlobClient(ctx, addr) // kept in use by the handle in the storage
	if err != nil {
		return nil, err
	}
	return &blobStorage{bucket: c.Bucket(bucket)}, nil
}

// Per request, the same hand-back leaks a client for every request.
func blobHandler(w http.ResponseWriter, r *http.Request) {
	c, err := newBlobClient(r.Context(), "blob:9000") // want `c \(\*blobClient from newBlobClient\) is never closed`
	if err != nil {
		return
	}
	c.Bucket("x").Put(nil)
}

// Kept in a field of a struct-valued field of the returned device, which
// closes it.
type udpBind struct{ conn net.PacketConn }

func newUDPBind() *udpBind { return &udpBind{} }

func (b *udpBind) Open() (err error) {
	b.conn, err = net.ListenPacket("udp", ":0")
	return err
}

func (b *udpBind) Close() error {
	if b.conn == nil {
		return nil
	}
	return b.conn.Close()
}

type tunDevice struct {
	net struct {
		bind *udpBind
		port uint16
	}
}

func newTunDevice(b *udpBind) *tunDevice {
	d := new(tunDevice)
	d.net.bind = b
	return d
}

func (d *tunDevice) Close() error { return d.net.bind.Close() }

type tunEndpoint struct{ dev *tunDevice }

func (e *tunEndpoint) Start(w http.ResponseWriter, r *http.Request) {
	b := newUDPBind() // kept by the device, kept by the endpoint
	b.Open()
	e.dev = newTunDevice(b)
}

// A wrapper around a zero connection literal holds no descriptor: it only
// builds bytes.
type helloWriter struct {
	conn net.Conn
	raw  []byte
}

func newHelloWriter(c net.Conn) *helloWriter { return &helloWriter{conn: c} }

func (h *helloWriter) Close() error { return h.conn.Close() }

func (h *helloWriter) build(name string) { h.raw = append(h.raw, name...) }

func helloBytes(w http.ResponseWriter, r *http.Request) {
	fake := net.TCPConn{}
	h := newHelloWriter(&fake) // nothing open
	h.build(r.Host)
	w.Write(h.raw)
}
