package lifetime

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/ssair"
)

// poolingTransport reports whether the allocation a is a transport literal
// that can keep connections of its own idle: not one whose keep-alives are
// off, nor one used only to wrap connections its user dialed
// (NewClientConn), nor one whose dial function only ever hands back a
// connection it captured. Those pool nothing their owners do not close:
// dropping them leaks nothing, wherever the drop happens.
func poolingTransport(a *ssa.Alloc) bool {
	return TransportType(a.Type()) && !keepsNothingIdle(a) && !onlyClientConns(a) && !DialsCaptured(a)
}

// TransportFields calls f for every store into a field of the transport
// literal v, with the transport's kind and the field's name.
func TransportFields(v ssa.Value, f func(k TransportKind, name string, val ssa.Value)) {
	alloc, ok := v.(*ssa.Alloc)
	if !ok {
		return
	}
	k := TransportOf(alloc.Type(), true)
	if k == NotTransport {
		return
	}
	for _, ref := range *alloc.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fa.X != alloc {
			continue
		}
		name := structFieldName(alloc.Type(), fa.Field)
		for _, r := range *fa.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == fa {
				f(k, name, st.Val)
			}
		}
	}
}

func structFieldName(t types.Type, i int) string {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return ""
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return ""
	}
	return st.Field(i).Name()
}

// keepsNothingIdle reports whether a transport literal keeps no idle
// connection at all: DisableKeepAlives, or a negative MaxIdleConnsPerHost
// (unknown values are trusted).
func keepsNothingIdle(v ssa.Value) bool {
	found := false
	TransportFields(v, func(k TransportKind, name string, val ssa.Value) {
		if (name == "DisableKeepAlives" || name == "MaxIdleConnsPerHost") && BoundsIdle(k, name, val) {
			found = true
		}
	})
	return found
}

// onlyClientConns reports whether the transport is used for nothing but
// NewClientConn on connections its user dialed (forwardproxy's HTTP/2
// CONNECT, an HTTP/2 stream wrapper over a proxy's connection): a client
// conn made that way is not in the transport's pool, and whoever keeps it
// closes it, so the transport keeps nothing idle.
func onlyClientConns(v ssa.Value) bool {
	uses := 0
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if ref.Addr != v {
				return false // stored somewhere
			}
		case *ssa.FieldAddr:
			// The literal's own fields being set.
			for _, fr := range *ref.Referrers() {
				if st, ok := fr.(*ssa.Store); !ok || st.Addr != ref {
					return false
				}
			}
		case ssa.CallInstruction:
			c := ref.Common()
			callee := c.StaticCallee()
			if c.IsInvoke() || callee == nil || len(c.Args) == 0 || c.Args[0] != v || callee.Name() != "NewClientConn" {
				return false
			}
			uses++
		default:
			return false
		}
	}
	return uses > 0
}

// DialsCaptured reports whether the transport literal's dial function
// (DialContext, DialTLSContext, Dial, DialTLS) only ever returns a
// connection it captured rather than one it dials: such a transport pools
// at most that connection, which its owner closes, so dropping or
// replacing the transport leaks nothing beyond it (a MITM proxy's
// per-connection client, a fallback request over a connection the caller
// closes).
func DialsCaptured(lit *ssa.Alloc) bool {
	found := false
	captured := true
	TransportFields(lit, func(k TransportKind, name string, val ssa.Value) {
		switch name {
		case "DialContext", "DialTLSContext", "Dial", "DialTLS":
		default:
			return
		}
		mc, ok := val.(*ssa.MakeClosure)
		if !ok {
			captured = false
			return
		}
		fn, ok := mc.Fn.(*ssa.Function)
		if !ok {
			captured = false
			return
		}
		for _, b := range fn.Blocks {
			ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !ok || len(ret.Results) == 0 {
				continue
			}
			// What the closure captured, or a field reached from it
			// (connCtx.ServerConn.tlsConn).
			r := ssair.Unconvert(ret.Results[0])
			for i := 0; i < 8; i++ {
				switch x := r.(type) {
				case *ssa.UnOp:
					r = ssair.Unconvert(x.X)
					continue
				case *ssa.FieldAddr:
					r = x.X
					continue
				}
				break
			}
			if _, ok := r.(*ssa.FreeVar); !ok {
				captured = false
			}
			found = true
		}
	})
	return found && captured
}
