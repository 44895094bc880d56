// Package restcfg stands in for a client configuration package such as
// k8s.io/client-go/rest: a config holding a transport, and a handler built on it.
package restcfg

import "net/http"

type Config struct {
	Host      string
	Transport http.RoundTripper
}

func Handler(prefix string, cfg *Config) http.Handler { return nil }
