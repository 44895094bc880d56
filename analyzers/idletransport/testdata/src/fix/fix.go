package fix

import (
	"io"
	"net/http"
)

func proxy(rw http.ResponseWriter, req *http.Request) {
	t := &http.Transport{ // want `http.Transport is built on every request`
		MaxIdleConns: 10,
	}
	resp, err := t.RoundTrip(req)
	if err == nil {
		io.Copy(rw, resp.Body)
	}
}

func inline(rw http.ResponseWriter, req *http.Request) {
	c := &http.Client{Transport: &http.Transport{}} // want `http.Transport is built on every request`
	c.Do(req)
}
