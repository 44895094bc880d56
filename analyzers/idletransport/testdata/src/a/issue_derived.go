package a

import "net/http"

// Regression: a value merely computed with a transport (a certificate
// obtained through a DNS provider's client, in Traefik's ACME provider and
// lego) does not carry the transport, and the provider, an object of the
// package's own type, keeps its client for its own life by design: no
// finding for the provider nor for the loop that computes certificates.

type dnsProvider struct{ client *http.Client }

func newDNSProvider() *dnsProvider {
	return &dnsProvider{client: &http.Client{Transport: &http.Transport{}}}
}

type certResource struct{ cert []byte }

func obtain(p *dnsProvider) *certResource { return &certResource{} }

func resolveCert() *certResource {
	p := newDNSProvider()
	return obtain(p)
}

func watchDomains(domains []string) {
	for range domains {
		go func() { resolveCert() }()
	}
}
