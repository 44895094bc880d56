package lifetime

import (
	"go/constant"
	"go/types"

	"github.com/proxylint/proxylint/internal/typeis"
	"golang.org/x/tools/go/ssa"
)

// TransportKind names the connection-pooling HTTP transport types, for checks
// about their idle connections.
type TransportKind int

const (
	NotTransport   TransportKind = iota
	HTTPTransport                // net/http.Transport
	HTTP2Transport               // golang.org/x/net/http2.Transport
)

func (t TransportKind) String() string {
	switch t {
	case HTTPTransport:
		return "http.Transport"
	case HTTP2Transport:
		return "http2.Transport"
	}
	return ""
}

// TransportOf tells whether t is *http.Transport or *http2.Transport (or,
// with ptr false, the struct type itself).
func TransportOf(t types.Type, ptr bool) TransportKind {
	if ptr {
		p, ok := types.Unalias(t).(*types.Pointer)
		if !ok {
			return NotTransport
		}
		t = p.Elem()
	}
	switch {
	case typeis.Named(t, "net/http", "Transport"):
		return HTTPTransport
	case typeis.Named(t, "golang.org/x/net/http2", "Transport"):
		return HTTP2Transport
	}
	return NotTransport
}

// IsHTTPClient reports whether t is *http.Client.
func IsHTTPClient(t types.Type) bool { return typeis.Pointer(t, "net/http", "Client") }

// BoundsIdle reports whether storing v into the named field of a transport
// of kind k bounds how long its idle connections live: a positive or unknown
// IdleConnTimeout, DisableKeepAlives not known to be false, or a
// MaxIdleConnsPerHost not known to be non-negative (negative disables
// keep-alives). Unknown values count as bounds: the check must not guess.
func BoundsIdle(k TransportKind, field string, v ssa.Value) bool {
	c, isConst := v.(*ssa.Const)
	switch field {
	case "IdleConnTimeout":
		if !isConst || c.Value == nil {
			return !isConst
		}
		return constant.Sign(c.Value) > 0
	case "DisableKeepAlives":
		if k != HTTPTransport {
			return false
		}
		if !isConst || c.Value == nil {
			return !isConst
		}
		return constant.BoolVal(c.Value)
	case "MaxIdleConnsPerHost":
		if k != HTTPTransport {
			return false
		}
		if !isConst || c.Value == nil {
			return !isConst
		}
		return constant.Sign(c.Value) < 0
	}
	return false
}
