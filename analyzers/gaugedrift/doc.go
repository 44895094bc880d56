// Package gaugedrift defines an Analyzer that reports gauges that drift away
// from the state they count.
//
// # Analyzer gaugedrift
//
// gaugedrift: report gauges updated outside the lock that guards what they count, or decremented unconditionally
//
// A gauge that mirrors a collection (open connections, sessions, backends)
// must change exactly when the collection does. In Traefik v3.0.0 to v3.1.0
// (traefik/traefik#10733), connectionTracker.RemoveConnection deleted a
// connection from a map under a mutex, unlocked, and then called
// openConnectionsGauge.Add(-1) whether or not the delete had removed
// anything. RemoveConnection ran from every Close of a tracked connection,
// and connections are closed more than once, so traefik_open_connections
// drifted down and went negative while the real number of connections was
// stable. The fix (v3.1.1) derives the gauge from the guarded state: after
// each change, Set(float64(len(conns))) while holding the read lock.
//
// The check knows the instruments of go-kit (metrics.Gauge), Prometheus
// (Gauge, GaugeVec through WithLabelValues/With), OpenTelemetry
// (Int64UpDownCounter, Float64UpDownCounter), expvar (Int, Float), the types
// named by the -types flag, and any type with a gauge's method set (Add and
// Set of one number, or Inc and Dec), which covers wrappers. Counters are
// ignored: they count events, not state. Mutexes are tracked through Lock,
// RLock, Unlock, RUnlock, deferred unlocks, embedded mutexes and helpers, in
// other packages too, that lock or unlock a mutex of their arguments.
//
// It reports:
//
//  1. an increment or decrement that mirrors an insertion into, or removal
//     from, a map or slice which the same function changes under a mutex M
//     it locks, while the update runs with M released;
//  2. a decrement that does not depend on the removal having happened — the
//     function deletes under its lock and decrements unconditionally, or the
//     decrement runs on every call of a Close method that has no guard
//     against a second call (a sync.Once, a closed flag, a CompareAndSwap)
//     — while the matching increment is in another function: each repeated
//     call makes the gauge drift down and go negative;
//  3. an increment whose only decrements are in the same function, when a
//     return path skips them: the gauge stays one too high for good.
//
// It accepts Inc(); defer Dec() in one function; increments and decrements
// made under the lock and conditioned on the presence of the entry
// (if _, ok := m[k]; ok { delete(m, k); g.Dec() }); Set(float64(len(m))) or
// any Set from the guarded state; decrements guarded by a sync.Once, a closed
// flag or a CompareAndSwap; and gauges with no collection behind them. A nil
// check of the gauge itself is not a guard.
//
// Fix by deriving the gauge from the guarded state (Set(len(...)) while
// holding the lock), or by moving the update under the lock and making it
// depend on the change; for rule 1 alone a suggested fix moves the update
// before the unlock. For rule 3, decrement with defer right after the
// increment.
//
// Flags:
//
//	-gaugedrift.types=pkgpath.Type,...   further gauge types
//
// Suppress a finding with //lint:ignore gaugedrift <reason> on the line
// before.
package gaugedrift
