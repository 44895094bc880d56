package a

import (
	"io"
	"runtime"
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
		decPool.Put(r.dec) // want `\*zdec.Decoder created at line 24 is put in a sync.Pool here, from a field of its wrapper`
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

// A finalizer on the short-lived wrapper covers nothing once the decoder is
// in the pool: the wrapper is collected, the pooled decoder lives on.
var decPool2 sync.Pool

type zreader2 struct {
	dec *zdec.Decoder
	err error
}

func newZReader2(r io.Reader) io.ReadCloser {
	p := new(zreader2)
	if cached := decPool2.Get(); cached == nil {
		p.dec, p.err = zdec.NewReader(r)
		if p.dec != nil {
			runtime.SetFinalizer(p, func(r *zreader2) { r.Close() })
		}
	} else {
		p.dec = cached.(*zdec.Decoder)
	}
	return p
}

func (r *zreader2) Read(b []byte) (int, error) { return r.dec.Read(b) }

func (r *zreader2) Close() error {
	if r.dec != nil {
		decPool2.Put(r.dec) // want `\*zdec.Decoder created at line \d+ is put in a sync.Pool here, from a field of its wrapper`
		r.dec = nil
	}
	return nil
}

// The fix: the pooled value itself carries the finalizer, attached through
// the field it is kept in.
var decPool3 sync.Pool

type pooledDec struct{ *zdec.Decoder }

func (d *pooledDec) finalize() { d.Close() }

type zreader3 struct {
	dec *pooledDec
	err error
}

func newZReader3(r io.Reader) io.ReadCloser {
	p := new(zreader3)
	if cached, _ := decPool3.Get().(*pooledDec); cached == nil {
		z, err := zdec.NewReader(r)
		if err != nil {
			p.err = err
		} else {
			p.dec = &pooledDec{z}
			runtime.SetFinalizer(p.dec, (*pooledDec).finalize)
		}
	} else {
		p.dec = cached
	}
	return p
}

func (r *zreader3) Read(b []byte) (int, error) { return r.dec.Read(b) }

func (r *zreader3) Close() error {
	if r.dec != nil {
		decPool3.Put(r.dec)
		r.dec = nil
	}
	return nil
}

// The go-grpc-compression shape: the pooled value is the wrapper itself,
// made on a pool miss and put back by its own Read at EOF.
type selfReader struct {
	*zdec.Decoder
	pool *sync.Pool
}

var selfPool sync.Pool

func decompress(r io.Reader) (io.Reader, error) {
	z, ok := selfPool.Get().(*selfReader)
	if !ok {
		d, err := zdec.NewReader(r)
		if err != nil {
			return nil, err
		}
		return &selfReader{Decoder: d, pool: &selfPool}, nil // want `\*selfReader created here is put in a sync.Pool by a.selfReader.Read at line \d+, but it`
	}
	return z, z.Reset(r)
}

func (z *selfReader) Read(p []byte) (int, error) {
	n, err := z.Decoder.Read(p)
	if err == io.EOF {
		z.pool.Put(z)
	}
	return n, err
}

// Its fix: the finalizer goes on the wrapper where it is made.
type selfReader2 struct {
	*zdec.Decoder
	pool *sync.Pool
}

var selfPool2 sync.Pool

func decompress2(r io.Reader) (io.Reader, error) {
	z, ok := selfPool2.Get().(*selfReader2)
	if !ok {
		d, err := zdec.NewReader(r)
		if err != nil {
			return nil, err
		}
		z = &selfReader2{Decoder: d, pool: &selfPool2}
		runtime.SetFinalizer(z, func(z *selfReader2) { z.Decoder.Close() })
		return z, nil
	}
	return z, z.Reset(r)
}

func (z *selfReader2) Read(p []byte) (int, error) {
	n, err := z.Decoder.Read(p)
	if err == io.EOF {
		z.pool.Put(z)
	}
	return n, err
}
