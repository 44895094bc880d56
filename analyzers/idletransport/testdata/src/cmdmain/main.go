package main

import (
	"net/http"
	"net/http/httputil"
)

func main() {
	var proxies []*httputil.ReverseProxy
	for _, b := range []string{"a", "b"} {
		_ = b
		proxies = append(proxies, &httputil.ReverseProxy{Transport: &http.Transport{}})
	}
	_ = proxies
}
