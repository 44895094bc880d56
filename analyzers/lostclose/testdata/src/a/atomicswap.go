package a

import (
	"bufio"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Replacing what an atomic.Value or an atomic.Pointer holds on a reload
// path: the old value must be released (or handed on), as for a field.

type routes struct {
	pollers []*poller
	version string
	shared  *poller
}

func (r *routes) Cancel() {
	for _, p := range r.pollers {
		p.Cancel()
	}
}

func buildRoutes(n int) *routes {
	r := &routes{}
	for range n {
		r.pollers = append(r.pollers, newPoller())
	}
	return r
}

type router struct {
	cur  atomic.Pointer[poller]
	val  atomic.Value
	tbl  atomic.Pointer[routes]
	byID sync.Map
}

func (rt *router) ReloadPointer() {
	p := newPoller()
	rt.cur.Store(p) // want `field cur is given a new resource by Store every time ReloadPointer runs \(it reloads the configuration\) without the old value being stopped: each store leaks the previous value; use Swap and call Cancel on the value it returns`
}

func (rt *router) ReloadValue() {
	p := newPoller()
	rt.val.Store(p) // want `field val is given a new resource by Store every time ReloadValue runs`
}

func (rt *router) ReloadSwapDropped() {
	p := newPoller()
	rt.cur.Swap(p) // want `field cur is given a new resource by Swap every time ReloadSwapDropped runs .*call Cancel on the value Swap returns`
}

func (rt *router) ReloadSwapped() {
	p := newPoller()
	if old := rt.cur.Swap(p); old != nil {
		old.Cancel() // released
	}
}

func (rt *router) ReloadLoadedFirst() {
	old := rt.cur.Load()
	p := newPoller()
	rt.cur.Store(p)
	if old != nil {
		go func() {
			time.Sleep(time.Second) // let requests in flight finish
			old.Cancel()
		}()
	}
}

func (rt *router) ReloadLazily() {
	if rt.cur.Load() == nil {
		rt.cur.Store(newPoller()) // the first value only: nothing is replaced
	}
}

func (rt *router) UpdateByID(id string) {
	rt.byID.Store(id, newPoller()) // a registry entry per key: not one slot
}

func newRouter() *router {
	rt := &router{}
	rt.cur.Store(newPoller()) // a new object's first value
	return rt
}

// The old table is read through a helper of the package and released only
// where its version differs from the new one's: when a reload keeps the
// version, the old table's pollers run forever.

func (rt *router) table() *routes {
	if t := rt.tbl.Load(); t != nil {
		return t
	}
	return &routes{}
}

func (rt *router) ReloadTable(version string, n int) {
	old := rt.table()
	t := buildRoutes(n)
	t.version = version
	rt.tbl.Store(t) // want `field tbl is given a new resource by Store every time ReloadTable runs \(it reloads the configuration\), and the old value is stopped only where its version differs from the new one's: .*call Cancel on the old value on every path`
	if old.version != t.version {
		old.Cancel()
	}
}

func (rt *router) ReloadTableFixed(version string, n int) {
	old := rt.table()
	t := buildRoutes(n)
	t.version = version
	rt.tbl.Store(t)
	if old != nil && old != t {
		old.Cancel() // on every path where there is an old table
	}
}

// A part of the old table moved into the new one is shared: the rest is
// still released.
func (rt *router) ReloadTableSharing(n int) {
	old := rt.table()
	t := buildRoutes(n)
	t.shared = old.shared
	rt.tbl.Store(t)
	old.Cancel()
}

// The same rule for a field.
type tableHolder struct{ cur *routes }

func (h *tableHolder) Reload(version string, n int) {
	old := h.cur
	t := buildRoutes(n)
	t.version = version
	h.cur = t // want `field cur is overwritten with a new resource every time Reload runs \(it reloads the configuration\), and the old value is stopped only where its version differs from the new one's`
	if old != nil && old.version != t.version {
		old.Cancel()
	}
}

func (h *tableHolder) Refresh(n int) {
	old := h.cur
	h.cur = buildRoutes(n)
	if old != nil {
		old.Cancel()
	}
}

// What keeps a reader of a file is no resource: replacing it leaks
// nothing, and the file is closed.
type parsedInfo struct {
	rd   *bufio.Reader
	name string
}

func parseInfo(r io.Reader) (*parsedInfo, error) {
	rd := bufio.NewReader(r)
	name, err := rd.ReadString('\n')
	return &parsedInfo{rd: rd, name: name}, err
}

type infoCache struct{ info *parsedInfo }

func (c *infoCache) UpdateInfo(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	c.info, err = parseInfo(f)
	return err
}

// The receiver's own Stop releases the field before it is replaced.
type dhcpLike struct {
	cur *routes
}

func (d *dhcpLike) Stop() {
	if d.cur != nil {
		d.cur.Cancel()
	}
}

func (d *dhcpLike) ReloadStopped(n int) {
	d.Stop()
	d.cur = buildRoutes(n) // the old one was stopped just above
}

func (d *dhcpLike) ReloadLeaky(n int) {
	d.cur = buildRoutes(n) // want `field cur is overwritten with a new resource every time ReloadLeaky runs`
}

// Built in the function, cancelled on its failure path only: the store on
// the other path still replaces the old table, which is released only where
// the versions differ.
func (rt *router) ApplyTable(version string, names []string) error {
	old := rt.table()
	t := &routes{version: version}
	for range names {
		t.pollers = append(t.pollers, newPoller())
	}
	if len(names) == 0 {
		t.Cancel()
		return os.ErrInvalid
	}
	rt.tbl.Store(t) // want `field tbl is given a new resource by Store every time ApplyTable runs \(it reloads the configuration\), and the old value is stopped only where its version differs`
	if old.version != t.version {
		old.Cancel()
	}
	return nil
}
