// Package gaugedrift defines an Analyzer that reports counters of open
// things whose increments and decrements do not pair one to one with what
// they count.
//
// # Analyzer gaugedrift
//
// gaugedrift: report counters of open things that drift: decrements that run once per Close call instead of once per thing, increments a failure or an unwrapped value never undoes, and gauges updated outside the lock of the set they count
//
// Incident: Traefik v3.0, traefik/traefik#10733.
//
// A gauge, counter or slot pool that counts open things (connections,
// streams, in-flight requests, sessions, limiter slots, semaphore tokens)
// is right only while each increment is undone exactly once. In Traefik
// v3.0.0 to v3.1.0 (traefik/traefik#10733), connectionTracker.RemoveConnection
// deleted a connection from a map under a mutex, unlocked, and then called
// openConnectionsGauge.Add(-1) whether or not the delete had removed
// anything. RemoveConnection ran from every Close of a tracked connection,
// and connections are closed more than once, so traefik_open_connections
// drifted down and went negative while the real number of connections was
// stable. The fix (v3.1.1) derives the gauge from the guarded state: after
// each change, Set(float64(len(conns))) while holding the read lock.
//
// What counts, recognised by shape rather than by an import list:
// Prometheus Gauge and GaugeVec series (With, WithLabelValues), go-kit
// metrics.Gauge, OpenTelemetry up-down counters, expvar Int and Float, any
// type with a gauge's method set (Add and Set of one number, Inc and Dec,
// or go-metrics' Inc(n) and Dec(n)), the types named by -types; integers changed with sync/atomic by a
// constant (atomic.AddUint64(&n, ^uint64(0)) is a decrement); semaphore.Weighted
// Acquire/Release; and any method of one integer that the package calls
// with +1 in one place and -1 in another (limiter.Allow(1) ...
// limiter.Allow(-1)). Counters that only go up are events, with one
// exception below; so is a type known only by its gauge's method set
// (not named a Gauge or UpDownCounter) that the package never lowers or
// sets (a count of samples recorded). What a function changes — directly, through helpers,
// closures and method values — is summarised, and exported as a fact for
// exported functions, so that a helper in another package (Tracker.Leave)
// is seen as the decrement it is.
//
// It reports, at the update a reviewer would change:
//
//  1. A decrement that can run more than once per increment: on a path of
//     a Close, Release or Stop method with no guard against a second call
//     (a sync.Once, a closed flag, a CompareAndSwap or Swap, a field the
//     method clears and checks, the inner Close's error) — whether the
//     method decrements directly, through a helper (reported at the call
//     of the helper), by giving back a limiter or semaphore slot, or
//     through a callback field. A callback a constructor stores from its
//     parameter (closeFunc) is reported at its call in the release method;
//     one installed as a value (OnClose = m.closed) at the store; when the
//     constructor is in another package (its Callback fact), the call
//     handing it a decrementing function is reported. A
//     closed-things counter counts as a decrement when the callback is
//     installed where an opened-things counter is incremented (accepted
//     minus closed is the open count).
//  2. An increment before a step that can fail, when the failure returns
//     without the decrement and only what is built on success (a closure,
//     a wrapper whose Close decrements) undoes it: increment after the
//     step succeeds.
//  3. An increment that some other return path leaves standing, when the
//     function undoes it on its other paths: counting every accepted
//     connection but wrapping (and so counting down) only one concrete
//     type, one branch; an early return before the decrement.
//  4. An increment or decrement that mirrors an insertion into, or a
//     removal from, a set the same function changes under a mutex M it
//     locks (map insert and delete, append, slices.Delete, DeleteFunc and
//     re-slicing, sync.Map Store and Delete, list push and remove), while
//     the update runs with M released; and a decrement that runs whether or
//     not the removal removed anything, when the increment is elsewhere.
//
// Rule 4 applies to metric gauges only; an atomic count or a slot is its
// own state. The release rule (1) needs the counter incremented somewhere
// the package shows, and not by methods of the releasing type itself: a
// type whose own methods take and give back (Acquire/Release,
// Retain/Release) pairs its releases by contract, as does a decrement
// whose result is tested (if atomic.AddInt32(&refs, -1) == 0).
//
// It accepts Inc(); defer Dec() in one function, whose callers (in any
// package) see no change from it; a decrement on the failure
// path; a wrapper built before the increment and returned; a bool or error
// increment (Allow(1), Acquire) followed only where it took, and a call of
// a function of the package that returns nil where it rolled its increment
// back (if n.Add(1) > max { n.Add(-1); return nil }), followed only where
// its result is not nil; a value whose method decrements it sent on a
// channel (whoever receives it releases it); a count left standing past a
// branch on a call that added an entry to a store (if !p.push(c) { undo;
// return }), which the entry's removal undoes; moving a count
// between labels (Dec of the old label, Inc of the new one), which is
// balanced; increments and decrements made under the lock and conditioned
// on the presence of the entry; Set from the guarded state; decrements
// guarded as above; and gauges with no set behind them. A nil check of the
// instrument, of what holds it, or of the callback is no guard.
//
// Suggested fixes: for a release without a guard, a closeOnce sync.Once
// field and the statement wrapped in its Do; for an increment before a
// fallible step, the increment moved after the failure check; for rule 4,
// the update moved before the unlock.
//
// Flags:
//
//	-gaugedrift.types=pkgpath.Type,...   further gauge types
//
// Suppress a finding with //lint:ignore gaugedrift <reason> on the line
// before.
//
// Bad: the decrement after the unlock runs whether or not this call removed
// the connection.
//
//	mu.Lock()
//	delete(conns, c)
//	mu.Unlock()
//	openConns.Add(-1)
//
// Good: counted under the lock, only when the entry was there.
//
//	mu.Lock()
//	if _, ok := conns[c]; ok {
//		delete(conns, c)
//		openConns.Add(-1)
//	}
//	mu.Unlock()
package gaugedrift
