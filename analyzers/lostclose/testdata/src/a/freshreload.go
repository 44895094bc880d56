package a

import (
	"context"
	"net"
)

// An unexported method named reload that only the package calls, from the
// set-up of an object a supervisor makes new for each generation: it runs
// once per object, so the field it sets held nothing before. The old
// generation is another object, closed by its own Close.

type genSpec struct{ addr string }

type generation struct {
	conn   net.Conn
	cancel context.CancelFunc
}

func (g *generation) reload(spec genSpec) {
	c, err := net.Dial("tcp", spec.addr)
	if err != nil {
		return
	}
	g.conn = c
	_, g.cancel = context.WithCancel(context.Background())
}

// Init is what the supervisor calls on a new object.
func (g *generation) Init(spec genSpec) { g.reload(spec) }

// Inherit is what the supervisor calls on a new object, handing it the
// previous generation to close.
func (g *generation) Inherit(spec genSpec, prev *generation) {
	prev.Close()
	g.reload(spec)
}

func (g *generation) Close() {
	if g.cancel != nil {
		g.cancel()
	}
	if g.conn != nil {
		g.conn.Close()
	}
}

// The same with a goroutine-backed watcher, and a constructor that makes
// each generation.

type genWatcher struct{ done chan struct{} }

func newGenWatcher() *genWatcher {
	w := &genWatcher{done: make(chan struct{})}
	go w.loop()
	return w
}

func (w *genWatcher) loop()  { <-w.done }
func (w *genWatcher) Close() { close(w.done) }

type genObject interface {
	Init()
	Inherit(prev genObject)
	Close()
}

type genFilter struct {
	spec    string
	watcher *genWatcher
}

func (f *genFilter) Init() { f.reload() }

func (f *genFilter) Inherit(prev genObject) {
	f.reload()
	prev.Close()
}

func (f *genFilter) reload() {
	f.watcher = newGenWatcher()
}

func (f *genFilter) Close() {
	if f.watcher != nil {
		f.watcher.Close()
	}
}

func createGen(spec string, prev genObject) genObject {
	f := &genFilter{spec: spec}
	if prev == nil {
		f.Init()
	} else {
		f.Inherit(prev)
	}
	return f
}

// Still reported: the same helper behind an exported Reload, which runs
// again on the same object.

type liveConfig struct {
	conn net.Conn
}

func (l *liveConfig) refreshConn(addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	l.conn = c // want `field conn is overwritten with a new resource every time Reload runs \(it reloads the configuration\) without the old one being closed`
}

func (l *liveConfig) Reload(addr string) { l.refreshConn(addr) }

// An init method called on the object its caller has just made: the field
// is empty there.

type freshFreshDialCache struct {
	conn net.Conn
}

func (d *freshFreshDialCache) init(addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	d.conn = c
}

func (d *freshFreshDialCache) Close() error { return d.conn.Close() }

func NewFreshDialCache(addr string) *freshFreshDialCache {
	d := &freshFreshDialCache{}
	d.init(addr)
	return d
}

func UpdateFreshDialCaches(addrs []string) []*freshFreshDialCache {
	var out []*freshFreshDialCache
	for _, a := range addrs {
		out = append(out, NewFreshDialCache(a))
	}
	return out
}

// A reload that builds new handlers and starts each one: start sets the
// new handler's cancel, once per handler; the reload's reruns are the
// manager's, not the handler's.
type fwdHandler struct {
	cancel context.CancelFunc
	conf   string
}

func (h *fwdHandler) start() {
	_, h.cancel = context.WithCancel(context.Background())
}

func (h *fwdHandler) stop() {
	if h.cancel != nil {
		h.cancel()
	}
}

type fwdManager struct {
	handlers []*fwdHandler
}

func (m *fwdManager) ReloadConf(confs []string) {
	old := m.handlers
	m.handlers = nil
	for _, c := range confs {
		h := m.newHandler(c)
		h.start()
		m.handlers = append(m.handlers, h)
	}
	for _, h := range old {
		h.stop()
	}
}

func (m *fwdManager) newHandler(c string) *fwdHandler { return &fwdHandler{conf: c} }

// A broker's accept loop serves each connection on the same broker, and
// sets the new client's session: the client is new per connection, so
// its field held nothing before.
type mqSession struct{ done chan struct{} }

func newMQSession() *mqSession {
	s := &mqSession{done: make(chan struct{})}
	go s.wait()
	return s
}

func (s *mqSession) wait() { <-s.done }

func (s *mqSession) Close() { close(s.done) }

type mqClient struct{ session *mqSession }

type mqBroker struct{ ln net.Listener }

func (b *mqBroker) run() {
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		go b.handle(c)
	}
}

func (b *mqBroker) handle(c net.Conn) {
	defer c.Close()
	cl := b.newClient()
	b.setSession(cl)
	defer cl.session.Close()
}

func (b *mqBroker) newClient() *mqClient { return new(mqClient) }

func (b *mqBroker) setSession(cl *mqClient) {
	cl.session = newMQSession()
}
