package a

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"helpers"
)

// An HTTP response holds its connection (and, over HTTP/1, the transport's
// reader goroutine) until its Body is closed or read to its end.

func tlsProbe(c *http.Client, url string) (bool, error) {
	resp, err := c.Get(url) // want `the body of resp \(\*http.Response from c.Get\) is never closed on the path to the return at line 22`
	if err != nil {
		return false, err
	}
	return resp.TLS != nil, nil
}

func statusFirst(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req) // want `the body of resp \(\*http.Response from c.Do\) is never closed on the path to the return at line 31`
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return nil
}

func decodeOnly(url string, v any) error {
	resp, err := http.Get(url) // want `the body of resp \(\*http.Response from http.Get\) is never closed`
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func statusHelper(c *http.Client, url string) int {
	resp, err := c.Get(url) // want `the body of resp \(\*http.Response from c.Get\) is never closed`
	if err != nil {
		return 0
	}
	return helpers.Status(resp)
}

// The fixed versions and the other ways a body is released or handed on.

func statusAfterDefer(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func readAll(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body) // read to its end: the connection goes back to the pool
}

func drained(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return helpers.Drain(resp)
}

func closedInLiteral(c *http.Client, url string) (n int, err error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := resp.Body.Close(); err == nil {
			err = cerr
		}
	}()
	return resp.StatusCode, nil
}

func fetch(c *http.Client, url string) (*http.Response, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		resp.Body.Close()
		return nil, errors.New("server error")
	}
	return resp, nil
}

func fetchBody(c *http.Client, url string) (io.ReadCloser, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

func viaFetch(c *http.Client, url string) error {
	resp, err := fetch(c, url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func viaFetchLost(c *http.Client, url string) int {
	resp, err := fetch(c, url) // want `the body of resp \(\*http.Response from fetch\) is never closed`
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

type download struct {
	resp *http.Response
}

func (d *download) Close() error { return d.resp.Body.Close() }

func start(c *http.Client, url string) (*download, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	return &download{resp: resp}, nil
}

func async(c *http.Client, url string) <-chan *http.Response {
	ch := make(chan *http.Response, 1)
	go func() {
		resp, err := c.Get(url)
		if err != nil {
			close(ch)
			return
		}
		ch <- resp
	}()
	return ch
}

func head(c *http.Client, url string) (int64, error) {
	resp, err := c.Head(url) // a HEAD response has no body to close
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// A stub transport's response holds no connection.
type stub struct{}

func (stub) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
}

func useStub(req *http.Request) int {
	resp, _ := stub{}.RoundTrip(req)
	return resp.StatusCode
}

// A stream that keeps the response and closes its body in its own Close.
type eventStream struct {
	resp    *http.Response
	scanner *bufio.Scanner
}

func newEventStream(resp *http.Response) *eventStream {
	sc := bufio.NewScanner(resp.Body)
	return &eventStream{resp: resp, scanner: sc}
}

func (s *eventStream) Close() error { return s.resp.Body.Close() }

func events(c *http.Client, req *http.Request) (*eventStream, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		return nil, errors.New("status")
	}
	return newEventStream(resp), nil
}

// A forward proxy writes the upstream's response to its client:
// Response.Write sends the body and closes it.
func forward(c *http.Client, req *http.Request, w io.Writer) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Header.Del("Connection")
	return resp.Write(w)
}

// A health check that looks at the status only: one connection per check.
func healthy(addr string) bool {
	client := &http.Client{}
	rs, err := client.Get("http://" + addr + "/health") // want `the body of rs \(\*http.Response from client.Get\) is never closed`
	if err == nil && rs.StatusCode != 200 {
		err = errors.New("status")
	}
	return err == nil
}

// The body closed before the error check (a non-nil response with an
// error is possible only after a redirect failure, whose body is closed).
func closeFirst(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Retried until the status is good, closing every response it gives up on.
func retried(c *http.Client, req *http.Request) ([]byte, error) {
	var resp *http.Response
	var err error
	for range 3 {
		resp, err = c.Do(req)
		if err == nil && resp.StatusCode < 500 {
			break
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Drained and closed in a deferred literal.
func drainedLater(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}()
	return resp.StatusCode, nil
}

// Handed to a goroutine that closes it.
func handOff(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	go func() {
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
	}()
	return nil
}

// A HEAD request through Do has no body either.
func exists(c *http.Client, url string) bool {
	req, err := http.NewRequest(http.MethodHead, url, nil)
	if err != nil {
		return false
	}
	rsp, err := c.Do(req)
	return err == nil && rsp.StatusCode == http.StatusOK
}

// A GET whose "not found" answer returns before the body is closed: one
// connection per cache miss.
func lookup(c *http.Client, url string) (io.ReadCloser, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	rsp, err := c.Do(req) // want `the body of rsp \(\*http.Response from c.Do\) is never closed on the path to the return at line 308`
	if err != nil {
		return nil, err
	}
	if rsp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	return rsp.Body, nil
}

// A body a helper of the package reads to its end before it can return:
// the connection goes back to the pool.
func decodeOffer(r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	if len(b) == 0 {
		return "", errors.New("empty")
	}
	return string(b), nil
}

func exchangeOffer(c *http.Client, url string) (string, error) {
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	ans, err := decodeOffer(resp.Body)
	if err != nil {
		return "", err
	}
	return ans, nil
}

// Still reported: a helper that reads only a header's worth.
func peekOffer(r io.Reader) (byte, error) {
	var b [1]byte
	_, err := r.Read(b[:])
	return b[0], err
}

func exchangePeek(c *http.Client, url string) (byte, error) {
	resp, err := c.Get(url) // want `the body of resp \(\*http.Response from c.Get\) is never closed`
	if err != nil {
		return 0, err
	}
	return peekOffer(resp.Body)
}
