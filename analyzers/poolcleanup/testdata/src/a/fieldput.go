package a

import (
	"io"
	"sync"

	"zdec"
)

// The kafka-go shape: a codec's reader wraps a pooled decoder, made on a
// pool miss and put back from the wrapper's field by Close. The pool drops
// decoders at every garbage collection, and nothing stops their goroutines.
var decPool sync.Pool

type zreader struct {
	dec *zdec.Decoder
	err error
}

func newZReader(r io.Reader) io.ReadCloser {
	p := new(zreader)
	if cached := decPool.Get(); cached == nil {
		p.dec, p.err = zdec.NewReader(r)
	} else {
		p.dec = cached.(*zdec.Decoder)
		p.err = p.dec.Reset(r)
	}
	return p
}

func (r *zreader) Read(b []byte) (int, error) { return r.dec.Read(b) }

func (r *zreader) Close() error {
	if r.dec != nil {
		decPool.Put(r.dec) // want `\*zdec.Decoder created at line 23 is put in a sync.Pool here, from a field of its wrapper`
		r.dec = nil
	}
	return nil
}

// The fix of that shape: a bounded pool that closes what it cannot keep.
type boundedPool struct{ ch chan *zdec.Decoder }

func (p *boundedPool) get(r io.Reader) (*zdec.Decoder, error) {
	select {
	case d := <-p.ch:
		return d, d.Reset(r)
	default:
		return zdec.NewReader(r)
	}
}

func (p *boundedPool) put(d *zdec.Decoder) {
	select {
	case p.ch <- d:
	default:
		d.Close()
	}
}
