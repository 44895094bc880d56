// want package:"summarised"

// Package wrappers holds types whose Close delegates to an interface: a
// release only when the interface is a specific kind of resource.
package wrappers

import (
	"io"
	"net"
)

// Like gzip.Reader or elf.File: Close closes an io.ReadCloser or io.Closer,
// which is as often a no-op as not. Not a release (regression: the standard
// library's gzip.Reader in a sync.Pool and elf.NewFile were reported).
type Decompressor struct{ inner io.ReadCloser }

func (d *Decompressor) Close() error { return d.inner.Close() }

type File struct{ closer io.Closer }

func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// Like a connection wrapper: Close closes a net.Conn. A release.
type Conn struct{ c net.Conn }

func (c *Conn) Close() error { return c.c.Close() } // want Close:"releases"

// A wrapper built in a struct variable that its methods then configure
// (otelhttp.NewTransport): the variable is the object, so the wrapper holds
// what it was given, and calling its methods hands nothing on.
type rtWrap struct {
	rt   io.Writer
	name string
}

func (w *rtWrap) configure() { w.name = "x" }

func (w *rtWrap) Write(p []byte) (int, error) { return w.rt.Write(p) }

func NewRTWrap(base io.Writer) *rtWrap { // want NewRTWrap:"holds 0"
	t := rtWrap{rt: base}
	t.configure()
	return &t
}

// A function that returns the connection it has just closed (to read its
// local address): the caller gets nothing to release.
func ClosedConn(addr string) (net.Conn, error) { // want ClosedConn:"releases"
	c, err := net.Dial("udp", addr)
	if err != nil {
		return nil, err
	}
	return c, c.Close()
}
