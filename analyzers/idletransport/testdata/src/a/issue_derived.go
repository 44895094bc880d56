package a

import "net/http"

// Regression: a value merely computed with a transport (a certificate
// obtained through a DNS provider's client, in Traefik's ACME provider and
// lego) does not carry the transport; its producers are no transport
// factories, and their callers in loops are not reported.

type dnsProvider struct{ client *http.Client }

func newDNSProvider() *dnsProvider { // want newDNSProvider:`returnsTransport`
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
