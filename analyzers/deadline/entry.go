package deadline

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/passes/ssair"
)

// entries finds the functions of this package that are reached only
// dynamically: methods of a type converted to an interface that names them,
// and functions used as values, with no static call in this package. Their
// callers (a tunnel that hands a plugin its stream through an interface, a
// server that dispatches to registered handlers) cannot know that the
// callee reads a handshake, so the callee is where its deadline belongs.
func (c *connChecker) entries(funcs []*ssa.Function) map[*ssa.Function]string {
	called := map[*ssa.Function]bool{}
	valued := map[*ssa.Function]bool{}
	converted := map[*types.Named]map[string]string{} // type -> method -> interface
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok {
					if callee := call.Common().StaticCallee(); callee != nil && call.Common().Value == callee {
						called[ssair.Origin(callee)] = true
					}
				}
				if mi, ok := instr.(*ssa.MakeInterface); ok {
					if n := namedOf(mi.X.Type()); n != nil {
						recordMethods(converted, n, mi.Type())
					}
				}
				for _, op := range instr.Operands(nil) {
					if f, ok := (*op).(*ssa.Function); ok {
						if call, isCall := instr.(ssa.CallInstruction); isCall && call.Common().Value == f {
							continue
						}
						valued[ssair.Origin(f)] = true
					}
				}
			}
		}
	}
	out := map[*ssa.Function]string{}
	for _, fn := range funcs {
		if fn.Parent() != nil || called[fn] {
			continue
		}
		if valued[fn] && fn.Signature.Recv() == nil {
			out[fn] = "a function value"
			continue
		}
		recv := fn.Signature.Recv()
		if recv == nil {
			continue
		}
		if n := namedOf(recv.Type()); n != nil {
			if iface, ok := converted[n][fn.Name()]; ok {
				out[fn] = "the " + iface + " interface"
			}
		}
	}
	return out
}

// namedOf returns the named type of t or *t.
func namedOf(t types.Type) *types.Named {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// recordMethods notes, for a value of type n converted to the interface
// type iface, the methods of n the interface names.
func recordMethods(converted map[*types.Named]map[string]string, n *types.Named, iface types.Type) {
	it, ok := iface.Underlying().(*types.Interface)
	if !ok || it.NumMethods() == 0 {
		return
	}
	name := types.TypeString(iface, func(p *types.Package) string { return p.Name() })
	m := converted[n]
	if m == nil {
		m = map[string]string{}
		converted[n] = m
	}
	for i := 0; i < it.NumMethods(); i++ {
		if _, seen := m[it.Method(i).Name()]; !seen {
			m[it.Method(i).Name()] = name
		}
	}
}

// takenAfter reports whether, after the read rd, fn's tree hands the
// connection on to something that keeps it: a callee that takes it (the
// lifetime model's Summary) or starts a goroutine on it, an interface's
// method, or a channel send.
func (c *connChecker) takenAfter(fn *ssa.Function, rd readOp) bool {
	for _, f := range tree(fn) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				var keeps bool
				switch instr := instr.(type) {
				case *ssa.Send:
					keeps = c.readRoot(instr.X) == rd.root
				case ssa.CallInstruction:
					com := instr.Common()
					callee := com.StaticCallee()
					if callee == nil && !com.IsInvoke() || instr == rd.instr {
						continue
					}
					if com.IsInvoke() {
						// Handed to an interface's method (a Transporter,
						// a Handler): the connection lives on there.
						for _, a := range com.Args {
							if c.readRoot(a) == rd.root {
								keeps = true
							}
						}
						break
					}
					sum, _ := c.lt.SummaryOf(callee)
					for i, a := range com.Args {
						if i < 64 && (sum.TakesParam(i) || sum.Starts&(1<<i) != 0) && c.readRoot(a) == rd.root {
							keeps = true
						}
					}
				}
				if !keeps {
					continue
				}
				if lr, la := lift(rd.instr, instr); lr != nil && lr != la && reaches(lr, la) {
					return true
				}
			}
		}
	}
	return false
}

// selfArming reports whether v, a returned connection, is of a type whose
// Read or Write arms a deadline on its receiver: an idle-timeout wrapper,
// a connection of its own whatever it wraps.
func (c *connChecker) selfArming(v ssa.Value) bool {
	t := v.Type()
	if mi, ok := v.(*ssa.MakeInterface); ok {
		t = mi.X.Type()
	}
	if types.IsInterface(t) {
		return false
	}
	ms := ssair.Of(c.pass).Package().Prog.MethodSets.MethodSet(t)
	for _, name := range []string{"Read", "Write"} {
		sel := ms.Lookup(nil, name)
		if sel == nil {
			continue
		}
		m, ok := sel.Obj().(*types.Func)
		if !ok || len(sel.Index()) != 1 {
			continue // promoted from an embedded connection: its own
		}
		if m.Pkg() == c.pass.Pkg {
			if fn := ssair.Of(c.pass).Package().Prog.FuncValue(m); fn != nil && fn.Blocks != nil && slices.Contains(c.summarize(fn).arms, 0) {
				return true
			}
			continue
		}
		var a armsDeadline
		if c.pass.ImportObjectFact(m, &a) && slices.Contains(a.Params, 0) {
			return true
		}
	}
	return false
}
