package a

import "net/http"

// A value merely computed with a transport (a certificate obtained through
// a DNS provider's client, in Traefik's ACME provider and lego) does not
// carry the transport. But the provider keeps a new unbounded transport
// that nothing can ever close (dnsProvider has no release method): each
// provider built loses it.

type dnsProvider struct{ client *http.Client }

func newDNSProvider() *dnsProvider {
	return &dnsProvider{client: &http.Client{Transport: &http.Transport{}}} // want `in a closure made on every iteration of a loop in watchDomains, through its call`
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
