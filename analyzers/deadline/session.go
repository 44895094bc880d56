package deadline

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/report"
	"github.com/proxylint/proxylint/passes/reqscope"
	"github.com/proxylint/proxylint/passes/ssair"
)

// A sessionField is a connection held in a struct field of the package: the
// connection of a long-lived session (a FIX, MQTT or websocket client) when
// the package reads it in a loop.
type sessionField struct {
	readLoop bool              // read in a loop somewhere
	armed    bool              // a write (or full) deadline armed on it somewhere
	handed   bool              // passed to code that may arm one
	writes   []ssa.Instruction // writes on it
	name     string
	stored   int // values stored into it
	packets  int // of which datagram connections (net.Dial("udp", ...))
}

var sessionWrites = map[string]bool{"Write": true, "WriteMessage": true, "WriteJSON": true, "WriteControl": true, "NextWriter": true, "WritePreparedMessage": true}
var sessionReads = map[string]bool{"Read": true, "ReadMessage": true, "ReadJSON": true, "NextReader": true}

// fieldOfLoad returns the field a connection value is loaded from, if it is
// a load of a field of a struct declared in this package.
func (c *connChecker) fieldOfLoad(v ssa.Value) *types.Var {
	u, ok := c.root(v).(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	fa, ok := u.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	f := ssair.FieldOf(fa)
	if f == nil {
		return nil
	}
	if f.Pkg() != c.pass.Pkg {
		return nil
	}
	// A connection wrapper (it has deadline methods itself, often promoted
	// from an embedded net.Conn): whoever holds the wrapper arms them.
	if hasMethods(fa.X.Type(), "SetWriteDeadline") {
		return nil
	}
	// Only connections whose deadlines this package would have to arm: an
	// interface (net.Conn) or a connection type of another package. A
	// wrapper type of this package may arm them in its own methods.
	t := f.Type()
	if !isConnLike(t) {
		return nil
	}
	if n, ok := types.Unalias(derefT(t)).(*types.Named); ok && n.Obj().Pkg() == c.pass.Pkg {
		return nil
	}
	return f
}

func derefT(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// checkSessions reports writes on a session connection held in a field that
// the package reads in a loop and never arms a write deadline on: when the
// peer stops reading, the write blocks forever, and with it every sender
// waiting on the session's lock.
func (c *connChecker) checkSessions(funcs []*ssa.Function) {
	fields := map[*types.Var]*sessionField{}
	get := func(f *types.Var) *sessionField {
		s := fields[f]
		if s == nil {
			s = &sessionField{name: f.Name()}
			fields[f] = s
		}
		return s
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
						if f := ssair.FieldOf(fa); f != nil && isConnLike(f.Type()) {
							s := get(f)
							s.stored++
							if datagramConn(st.Val) {
								s.packets++
							}
						}
					}
					continue
				}
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				common := call.Common()
				obj := calleeObj(common)
				if obj == nil {
					// A function value: it may arm deadlines on what it is given.
					for _, a := range common.Args {
						if f := c.fieldOfLoad(a); f != nil {
							get(f).handed = true
						}
					}
					continue
				}
				recv, args := recvAndArgs(common, obj)
				name := obj.Name()
				if recv != nil {
					if f := c.fieldOfLoad(recv); f != nil {
						s := get(f)
						switch {
						case name == "SetDeadline" || name == "SetWriteDeadline":
							s.armed = true
						case sessionWrites[name] && isConnLike(recv.Type()):
							s.writes = append(s.writes, instr)
						case (sessionReads[name] || isNamedRecv(obj, "bufio", "Reader")) && reqscope.Looped(instr):
							s.readLoop = true
						}
					}
				}
				for _, a := range args {
					f := c.fieldOfLoad(a)
					if f == nil {
						continue
					}
					if wraps(obj) {
						continue // a bufio or tls view: its methods are seen as the field's
					}
					s := get(f)
					if arms, _, _ := c.summaryOf(common.StaticCallee()); len(arms) > 0 {
						s.armed = true
					} else if !(pkgPath(obj) == "io" || pkgPath(obj) == "fmt") {
						s.handed = true
					}
				}
			}
		}
	}
	var keys []*types.Var
	for f := range fields {
		keys = append(keys, f)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Pos() < keys[j].Pos() })
	for _, f := range keys {
		s := fields[f]
		if !s.readLoop || s.armed || s.handed || len(s.writes) == 0 {
			continue
		}
		if s.stored > 0 && s.packets == s.stored {
			// A datagram socket: a send never waits for the peer to read.
			continue
		}
		sort.Slice(s.writes, func(i, j int) bool { return s.writes[i].Pos() < s.writes[j].Pos() })
		w := s.writes[0]
		if report.InTestFile(c.pass, w.Pos()) {
			continue
		}
		more := ""
		if len(s.writes) > 1 {
			more = fmt.Sprintf(" (and %d other writes)", len(s.writes)-1)
		}
		c.reportAt(w, fmt.Sprintf("this write%s on field %s, the connection of a session this package reads in a loop, has no write deadline anywhere in the package: "+
			"when the peer stops reading, the write blocks forever, and with it every sender waiting its turn; "+
			"call SetWriteDeadline before each write", more, s.name))
	}
}

// datagramConn reports whether v is a connection dialled for a datagram
// network (net.Dial("udp", addr), a Dialer's Dial or DialContext with
// "udp4", "unixgram" or "ip:..."): writes on it never block on the peer.
func datagramConn(v ssa.Value) bool {
	v = ssair.Unconvert(v)
	if ex, ok := v.(*ssa.Extract); ok {
		v = ex.Tuple
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	obj := calleeObj(call.Common())
	if obj == nil || pkgPath(obj) != "net" {
		return false
	}
	i := -1
	switch obj.Name() {
	case "Dial", "DialTimeout":
		i = 0
		if obj.Signature().Recv() != nil {
			i = 1
		}
	case "DialContext":
		i = 2
	default:
		return false
	}
	args := call.Common().Args
	if i >= len(args) {
		return false
	}
	k, ok := args[i].(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String {
		return false
	}
	network := constant.StringVal(k.Value)
	return strings.HasPrefix(network, "udp") || network == "unixgram" || strings.HasPrefix(network, "ip")
}
