package a

import (
	"crypto/tls"
	"io"
	"net/http"
	"time"
)

// A probe whose response bodies are closed unread, on a transport that
// speaks only HTTP/1 (it has its own TLS config): net/http closes each
// such connection instead of keeping it idle.
func probeServing(addrs []string) string {
	for _, addr := range addrs {
		tr := &http.Transport{TLSClientConfig: &tls.Config{}}
		client := http.Client{Transport: tr, Timeout: 2 * time.Second}
		resp, err := client.Get("https://" + addr + "/status")
		if err == nil {
			resp.Body.Close()
			return addr
		}
	}
	return ""
}

// Still reported: the body is read, so the connection goes back to the
// transport's pool and stays idle.
func probeRead(addrs []string) string {
	for _, addr := range addrs {
		tr := &http.Transport{TLSClientConfig: &tls.Config{}} // want `a new http.Transport is built on every iteration of a loop and is never reused`
		client := http.Client{Transport: tr, Timeout: 2 * time.Second}
		resp, err := client.Get("https://" + addr + "/status")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return addr
		}
	}
	return ""
}

// Still reported: a transport that may speak HTTP/2, whose connection
// stays in the pool when a stream's body is closed.
func probeH2(addrs []string) string {
	for _, addr := range addrs {
		tr := &http.Transport{ForceAttemptHTTP2: true, TLSClientConfig: &tls.Config{}} // want `a new http.Transport is built on every iteration of a loop and is never reused`
		client := http.Client{Transport: tr, Timeout: 2 * time.Second}
		resp, err := client.Get("https://" + addr + "/status")
		if err == nil {
			resp.Body.Close()
			return addr
		}
	}
	return ""
}
