package a

import (
	"crypto/tls"
	"errors"
	"net/http"
)

// A transport wrapped in a client that a constructor keeps in the backend
// it returns with an error: the backend, stored in the configuration,
// reuses the transport's pool for every request it makes.
type remote interface {
	Fetch(key string) (*http.Response, error)
}

type httpRemote struct {
	client *http.Client
	base   string
}

func (b *httpRemote) Fetch(key string) (*http.Response, error) {
	return b.client.Get(b.base + "/" + key)
}

func newRemote(base string, client *http.Client) (remote, error) {
	if base == "" {
		return nil, errors.New("no base URL")
	}
	return &httpRemote{client: client, base: base}, nil
}

type remoteConfig struct {
	base    string
	tls     *tls.Config
	backend remote
}

func (c *remoteConfig) setRemote() error {
	client := &http.Client{}
	if c.tls != nil {
		client.Transport = &http.Transport{TLSClientConfig: c.tls}
	}
	b, err := newRemote(c.base, client)
	if err != nil {
		return err
	}
	c.backend = b
	return nil
}

// The same backend built per request and dropped loses the pool each time.
func fetchRemoteOnce(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{Transport: &http.Transport{}} // want `http.Transport is built on every request`
	b, err := newRemote("http://backend", client)
	if err != nil {
		return
	}
	if resp, err := b.Fetch(r.URL.Path); err == nil {
		resp.Body.Close()
	}
}
