// Package zdec is a stand-in for a streaming decompressor whose decoder
// starts goroutines that only Close stops (klauspost's zstd.Decoder).
package zdec

import "io"

type Decoder struct {
	in   io.Reader
	stop chan struct{}
}

// NewReader starts the decoder's goroutine.
func NewReader(r io.Reader) (*Decoder, error) {
	d := &Decoder{in: r, stop: make(chan struct{})}
	go d.run()
	return d, nil
}

func (d *Decoder) run() { <-d.stop }

func (d *Decoder) Read(p []byte) (int, error) { return d.in.Read(p) }

func (d *Decoder) Reset(r io.Reader) error { d.in = r; return nil }

// Close stops the goroutine.
func (d *Decoder) Close() { close(d.stop) }

// NewLazyReader starts the goroutine through a method of the decoder, as
// klauspost's NewReader does through Reset.
func NewLazyReader(r io.Reader) (*Decoder, error) {
	d := &Decoder{stop: make(chan struct{})}
	return d, d.start(r)
}

func (d *Decoder) start(r io.Reader) error {
	d.in = r
	go d.run()
	return nil
}
