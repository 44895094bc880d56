// Package b uses the factories of package a from another package.
package b

import "net/http"

func NewTransport() http.RoundTripper {
	return &http.Transport{}
}
