package gaugedrift

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"golang.org/x/tools/go/ssa"

	"github.com/proxylint/proxylint/internal/typeis"
	"github.com/proxylint/proxylint/passes/locks"
)

// class is what kind of instrument a type is.
type class int

const (
	notInstrument class = iota
	counter             // only goes up: counts events, never mirrors state
	gauge               // goes up and down: mirrors a quantity
	// atomicCount is an integer changed with sync/atomic, up and down: a
	// count of open things kept by hand (and often exported as a metric).
	// It follows no lock, so only the pairing rules apply to it.
	atomicCount
	// slot is a limiter or semaphore slot: semaphore.Weighted
	// Acquire/Release, a method taking one integer that the package calls
	// with both +1 and -1 (limiter.Allow(1) ... Allow(-1)).
	slot
)

// pairs reports whether the class counts open things whose increments and
// decrements must pair one to one.
func (k class) pairs() bool { return k == gauge || k == atomicCount || k == slot }

// noun names what drifts, for messages.
func (k class) noun() string {
	switch k {
	case atomicCount:
		return "count"
	case slot:
		return "count of taken slots"
	case counter:
		return "counter"
	}
	return "gauge"
}

// known lists the instrument types of the common metric libraries, by package
// path and type name.
var known = map[string]map[string]class{
	"github.com/go-kit/kit/metrics": {"Gauge": gauge, "Counter": counter},
	"github.com/prometheus/client_golang/prometheus": {
		"Gauge": gauge, "GaugeVec": gauge, "Counter": counter, "CounterVec": counter,
	},
	"go.opentelemetry.io/otel/metric": {
		"Int64UpDownCounter": gauge, "Float64UpDownCounter": gauge,
		"Int64Counter": counter, "Float64Counter": counter,
	},
	"expvar": {"Int": gauge, "Float": gauge},
}

// labelMethods select one series of a metric vector; the series is
// attributed to the vector.
var labelMethods = map[string]bool{
	"With": true, "WithLabelValues": true, "GetMetricWith": true, "GetMetricWithLabelValues": true,
	"CurryWith": true, "MustCurryWith": true,
}

// classifier decides, with a cache, which types are instruments.
type classifier struct {
	extra map[string]bool // "pkgpath.Type" named by -gaugedrift.types
	// signed holds the slot methods of the package: methods of one integer
	// it calls with a constant +1 somewhere and -1 somewhere else.
	signed map[*types.Func]bool
	mu     sync.Mutex
	cache  map[*types.Named]class
}

func newClassifier(flag string) *classifier {
	c := &classifier{extra: map[string]bool{}, cache: map[*types.Named]class{}, signed: map[*types.Func]bool{}}
	for _, s := range strings.Split(flag, ",") {
		if s = strings.TrimSpace(s); s != "" {
			c.extra[s] = true
		}
	}
	return c
}

// classOf returns the class of t, a named type or a pointer to one. The
// cache is keyed by the named type: SSA makes a new *types.Pointer for
// many values of one pointer type, and a cache keyed by those missed on
// nearly every call, computing a method set each time.
func (c *classifier) classOf(t types.Type) class {
	n := namedOf(t)
	if n == nil {
		return notInstrument
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.cache[n]; ok {
		return k
	}
	k := c.compute(n)
	c.cache[n] = k
	return k
}

func (c *classifier) compute(n *types.Named) class {
	obj := n.Obj()
	if obj.Pkg() == nil {
		return notInstrument
	}
	path := obj.Pkg().Path()
	if c.extra[path+"."+obj.Name()] {
		return gauge
	}
	if k, ok := known[path][obj.Name()]; ok {
		return k
	}
	if strings.HasPrefix(path, "github.com/go-kit/kit/metrics/") {
		// go-kit's backends (prometheus, generic, statsd, ...) implement
		// metrics.Gauge and metrics.Counter with types of the same names.
		switch obj.Name() {
		case "Gauge":
			return gauge
		case "Counter":
			return counter
		}
	}
	// A user's own instrument or wrapper, recognised by its method set: a
	// go-kit-like gauge (Add and Set of one number) or a Prometheus-like one
	// (Inc and Dec).
	var ms *types.MethodSet
	if types.IsInterface(n) {
		ms = types.NewMethodSet(n)
	} else {
		ms = types.NewMethodSet(types.NewPointer(n))
	}
	has := func(name string, nparams int) bool {
		sel := ms.Lookup(nil, name)
		if sel == nil {
			// Lookup needs the package for unexported names only.
			return false
		}
		sig, ok := sel.Type().(*types.Signature)
		if !ok || sig.Params().Len() != nparams {
			return false
		}
		if nparams == 1 {
			b, ok := sig.Params().At(0).Type().Underlying().(*types.Basic)
			return ok && b.Info()&types.IsNumeric != 0
		}
		return true
	}
	// go-metrics' Counter goes both ways with Inc(n) and Dec(n).
	if has("Add", 1) && has("Set", 1) || has("Inc", 0) && has("Dec", 0) || has("Inc", 1) && has("Dec", 1) {
		return gauge
	}
	return notInstrument
}

// An update is one call that changes an instrument.
type update struct {
	instr  ssa.Instruction // *ssa.Call, *ssa.Defer or *ssa.Go
	metric locks.Ref       // the instrument, vectors' series attributed to the vector
	method string
	delta  int // +1 increment, -1 decrement, 0 a delta of unknown sign
	set    bool
	class  class
	// value is set for a method value (g.Dec passed to once.Do or stored
	// for later): it updates when called, somewhere else.
	value bool
	// param is the index of the parameter the instrument is (a helper
	// updating the gauge its caller hands it), or -1.
	param int
	// shaped is set for a gauge recognised by its method set only (an
	// Add and Set of one number): it may as well count events.
	shaped bool
}

func (u *update) deferred() bool {
	_, ok := u.instr.(*ssa.Defer)
	return ok
}

// updateOf returns the instrument update performed by instr, if any.
func (c *classifier) updateOf(instr ssa.Instruction) *update {
	if mc, ok := instr.(*ssa.MakeClosure); ok {
		return c.methodValue(mc)
	}
	ci, ok := instr.(ssa.CallInstruction)
	if !ok {
		return nil
	}
	common := ci.Common()
	var recv ssa.Value
	var method string
	var args []ssa.Value
	var obj *types.Func
	switch {
	case common.IsInvoke():
		recv, method, args, obj = common.Value, common.Method.Name(), common.Args, common.Method
	default:
		callee := common.StaticCallee()
		if callee == nil {
			return nil
		}
		obj, _ = callee.Object().(*types.Func)
		if u := c.atomicUpdate(instr, obj, common.Args); u != nil {
			return u
		}
		if callee.Signature.Recv() == nil || len(common.Args) == 0 {
			return nil
		}
		recv, method, args = common.Args[0], callee.Name(), common.Args[1:]
	}
	k := c.classOf(recv.Type())
	if k == notInstrument {
		return c.slotUpdate(instr, obj, recv, args)
	}
	u := &update{instr: instr, method: method, class: k, shaped: k == gauge && !c.declared(recv.Type()) && !namedGauge(recv.Type())}
	switch method {
	case "Inc":
		u.delta = 1
		if n := lastNumeric(args); n != nil {
			u.delta = sign(n)
		}
	case "Dec":
		u.delta = -1
		if n := lastNumeric(args); n != nil {
			u.delta = -sign(n)
		}
	case "Add":
		u.delta = sign(lastNumeric(args))
	case "Sub":
		u.delta = -sign(lastNumeric(args))
	case "Set":
		u.set = true
	default:
		return nil
	}
	u.metric, _ = locks.Name(c.vector(recv, 0))
	u.param = paramIndex(c.vector(recv, 0))
	return u
}

// atomicUpdate recognises atomic.AddInt64(&x, d) and x.Add(d) on the
// atomic integer types, with a constant delta: a count kept by hand.
func (c *classifier) atomicUpdate(instr ssa.Instruction, obj *types.Func, args []ssa.Value) *update {
	if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "sync/atomic" || len(args) != 2 {
		return nil
	}
	switch obj.Name() {
	case "AddInt32", "AddInt64", "AddUint32", "AddUint64", "AddUintptr":
	case "Add":
		if obj.Signature().Recv() == nil {
			return nil
		}
	default:
		return nil
	}
	d := sign(args[1])
	if d == 0 {
		return nil // bytes, sizes: not a count of things
	}
	u := &update{instr: instr, method: obj.Name(), class: atomicCount, delta: d}
	var named bool
	u.metric, named = locks.Name(args[0])
	if !named {
		return nil
	}
	u.param = paramIndex(args[0])
	return u
}

// slotUpdate recognises the acquisition and release of a limiter or
// semaphore slot.
func (c *classifier) slotUpdate(instr ssa.Instruction, obj *types.Func, recv ssa.Value, args []ssa.Value) *update {
	if obj == nil {
		return nil
	}
	u := &update{instr: instr, method: obj.Name(), class: slot}
	id := "slot:" + obj.Origin().FullName()
	if typeis.NamedOrPointer(recv.Type(), "golang.org/x/sync/semaphore", "Weighted") {
		id = "slot:golang.org/x/sync/semaphore.Weighted"
		switch obj.Name() {
		case "Acquire", "TryAcquire":
			u.delta = 1
		case "Release":
			u.delta = -1
		default:
			return nil
		}
	} else if c.signed[obj.Origin()] && len(args) == 1 {
		u.delta = sign(args[0])
		if u.delta == 0 {
			return nil
		}
	} else {
		return nil
	}
	// Slots pair by the method that takes and gives them back: the
	// limiter handed to a connection is rarely named as it was taken.
	r, _ := locks.Name(recv)
	u.metric = locks.Ref{ID: id, Display: r.Display}
	u.param = -1
	return u
}

// paramIndex returns the index of the parameter v is (0 is the receiver of
// a method), or -1: an instrument handed in by the caller, which the
// caller names.
func paramIndex(v ssa.Value) int {
	p, ok := v.(*ssa.Parameter)
	if !ok || p.Parent() == nil {
		return -1
	}
	for i, q := range p.Parent().Params {
		if q == p {
			return i
		}
	}
	return -1
}

// signedCandidate reports whether fn could be a slot method: a method
// taking one integer and returning at most a bool.
func signedCandidate(fn *types.Func) bool {
	sig := fn.Signature()
	if sig.Recv() == nil || sig.Params().Len() != 1 || sig.Results().Len() > 1 {
		return false
	}
	b, ok := sig.Params().At(0).Type().Underlying().(*types.Basic)
	if !ok || b.Info()&types.IsInteger == 0 || b.Info()&types.IsUnsigned != 0 {
		return false
	}
	if sig.Results().Len() == 1 {
		r, ok := sig.Results().At(0).Type().Underlying().(*types.Basic)
		if !ok || r.Kind() != types.Bool {
			return false
		}
	}
	return true
}

// methodValue returns the update a bound method value g.Inc or g.Dec makes
// when it is called.
func (c *classifier) methodValue(mc *ssa.MakeClosure) *update {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || len(mc.Bindings) != 1 || !strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		return nil
	}
	recv := mc.Bindings[0]
	k := c.classOf(recv.Type())
	if k == notInstrument {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	u := &update{instr: mc, method: obj.Name(), class: k, value: true}
	switch obj.Name() {
	case "Inc":
		u.delta = 1
	case "Dec":
		u.delta = -1
	default:
		return nil
	}
	u.metric, _ = locks.Name(c.vector(recv, 0))
	u.param = paramIndex(c.vector(recv, 0))
	return u
}

// lastNumeric returns the numeric argument of an Add/Sub (OpenTelemetry's
// take a context first and options after).
func lastNumeric(args []ssa.Value) ssa.Value {
	for _, a := range args {
		if b, ok := a.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsNumeric != 0 {
			return a
		}
	}
	return nil
}

// vector looks through label selection (gv.WithLabelValues(...)) to the
// vector the series belongs to.
func (c *classifier) vector(v ssa.Value, depth int) ssa.Value {
	if depth > 8 {
		return v
	}
	switch x := v.(type) {
	case *ssa.Extract:
		return c.vector(x.Tuple, depth+1)
	case *ssa.MakeInterface:
		return c.vector(x.X, depth+1)
	case *ssa.ChangeInterface:
		return c.vector(x.X, depth+1)
	case *ssa.TypeAssert:
		return c.vector(x.X, depth+1)
	case *ssa.Call:
		common := x.Common()
		var recv ssa.Value
		var method string
		if common.IsInvoke() {
			recv, method = common.Value, common.Method.Name()
		} else if callee := common.StaticCallee(); callee != nil && callee.Signature.Recv() != nil && len(common.Args) > 0 {
			recv, method = common.Args[0], callee.Name()
		}
		if recv != nil && labelMethods[method] {
			return c.vector(recv, depth+1)
		}
	}
	return v
}

// sign returns the sign of a constant delta, looking through conversions
// and negation; 0 when unknown.
func sign(v ssa.Value) int {
	switch x := v.(type) {
	case *ssa.Const:
		if x.Value == nil {
			return 0
		}
		switch x.Value.Kind() {
		case constant.Int:
			// ^uint64(0) adds -1 to an unsigned count.
			if b, ok := x.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsUnsigned != 0 {
				switch b.Kind() {
				case types.Uint64, types.Uint, types.Uintptr:
					if constant.BitLen(x.Value) == 64 {
						return -1
					}
				case types.Uint32:
					if constant.BitLen(x.Value) == 32 {
						return -1
					}
				}
			}
			return constant.Sign(x.Value)
		case constant.Float:
			return constant.Sign(x.Value)
		}
	case *ssa.Convert:
		return sign(x.X)
	case *ssa.ChangeType:
		return sign(x.X)
	case *ssa.UnOp:
		if x.Op == token.SUB {
			return -sign(x.X)
		}
	}
	return 0
}

// declared reports whether t is an instrument by its name: a known
// library's type, one named by the types flag, or a go-kit backend's.
func (c *classifier) declared(t types.Type) bool {
	n := namedOf(t)
	if n == nil || n.Obj().Pkg() == nil {
		return false
	}
	path := n.Obj().Pkg().Path()
	if c.extra[path+"."+n.Obj().Name()] {
		return true
	}
	if _, ok := known[path][n.Obj().Name()]; ok {
		return true
	}
	return strings.HasPrefix(path, "github.com/go-kit/kit/metrics/")
}

// namedGauge reports whether t's name says it is a gauge (a wrapper
// called Gauge, an UpDownCounter): a level, whatever its users do.
func namedGauge(t types.Type) bool {
	n := namedOf(t)
	if n == nil {
		return false
	}
	name := n.Obj().Name()
	return strings.Contains(name, "Gauge") || strings.Contains(name, "UpDown")
}

// namedOf returns the named type t is, or points to, or nil.
func namedOf(t types.Type) *types.Named {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}
