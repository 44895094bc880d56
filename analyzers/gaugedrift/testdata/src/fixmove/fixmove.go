package fixmove

import (
	"io"
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

type stream struct {
	io.Closer
	once    sync.Once
	onClose func()
}

func (s *stream) Close() error {
	s.once.Do(s.onClose)
	return s.Closer.Close()
}

type transport struct {
	client *http.Client
	open   prometheus.Gauge
}

func (t *transport) dial(req *http.Request) (io.Closer, error) {
	t.open.Inc() // want `before Do, which can fail`
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	return &stream{Closer: resp.Body, onClose: func() { t.open.Dec() }}, nil
}
