package s

import (
	"flag"
	"net"
	"net/http"
	"net/http/httputil"
	"sync"
)

type h struct{}

func (h) ServeHTTP(w http.ResponseWriter, r *http.Request) {} // want `repeated: on every request \(it is a ServeHTTP method\)`

type rt struct{}

func (rt) RoundTrip(r *http.Request) (*http.Response, error) { return nil, nil } // want `repeated: on every round trip`

func handler(w http.ResponseWriter, r *http.Request) {} // want `repeated: on every request \(handler is an HTTP handler\)`

func conn(c net.Conn) {} // want `repeated: for every connection \(conn takes a net.Conn\)`

func tcp(c *net.TCPConn) {} // want `repeated: for every connection \(tcp takes a \*net.TCPConn\)`

func listener(l net.Listener) {} // want `unknown`

func build() http.Handler { return nil } // want `repeated: every time build builds a handler`

func buildProxy() (*httputil.ReverseProxy, error) { return nil, nil } // want `repeated: every time buildProxy builds a handler`

func helper() int { return 0 } // want `unknown`

var once sync.Once

func lazy() { // want `unknown`
	once.Do(func() {}) // want `once`
	v := sync.OnceValue(func() int { return 1 }) // want `once`
	_ = v
}

func register(mux *http.ServeMux) { // want `unknown`
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {}) // want `repeated: on every request \(the function literal in register is an HTTP handler\)`
}

func loop(items []int, run func(func())) { // want `unknown`
	for range items {
		run(func() {}) // want `repeated: in a closure made on every iteration of a loop in loop`
	}
}

func inHandler(w http.ResponseWriter, r *http.Request) { // want `repeated: on every request`
	defer func() {}() // want `repeated: on every request \(inHandler is an HTTP handler\)`
}

func init() {} // want `once`

var pkgFunc = func() int { return 1 } // want `once`

type wrappedListener struct{ net.Listener }

func (l wrappedListener) Accept() (net.Conn, error) { return l.Listener.Accept() } // want `repeated: for every accepted connection \(it is an Accept method\)`

// A dial function handed out as a value runs for every connection made
// through it; a dial helper that is only called is judged by its callers.
func dialerFor(addr string) func(string) (net.Conn, error) { // want `unknown`
	return func(string) (net.Conn, error) { return net.Dial("tcp", addr) } // want `repeated: for every connection dialed through the function literal in dialerFor`
}

func dialOnce(addr string) (net.Conn, error) { return net.Dial("tcp", addr) } // want `unknown`

func dialValue(addr string) (net.Conn, error) { return net.Dial("tcp", addr) } // want `repeated: for every connection dialed through dialValue`

var Dialers = []func(string) (net.Conn, error){dialValue}

func UseDialOnce() { dialOnce("x") } // want `unknown`

// A library's program entry, called by main as os.Exit(s.ClientMain()):
// it parses the command line, which a process does once.
func ClientMain() int { // want `once`
	flag.Parse()
	return 0
}

func ParseArgs(fs *flag.FlagSet, args []string) error { // want `unknown`
	return fs.Parse(args)
}

// The callbacks a library's program entry hands to a server run as often
// as the server calls them.
func ServerMain() int { // want `once`
	flag.Parse()
	serveWith(func(name string) error { return nil }) // want `unknown`
	return 0
}

func serveWith(cb func(string) error) { _ = cb("x") } // want `once`

// A method reached through an interface of the package runs as often as the
// interface's method is called.
type handlerIface interface {
	Handle(req string) error
}

type tlsHandler struct{}

func (tlsHandler) Handle(req string) error { return nil } // want `repeated: on every request \(handlerDispatch is an HTTP handler\), through its call in handlerDispatch, through its call in dispatch`

type otherHandler struct{}

func (otherHandler) Handle(req int) error { return nil } // want `unknown`

func dispatch(h handlerIface, w http.ResponseWriter, r *http.Request) { // want `repeated: on every request \(handlerDispatch is an HTTP handler\), through its call in handlerDispatch`
	_ = h.Handle(r.URL.Path)
}

func handlerDispatch(w http.ResponseWriter, r *http.Request) { // want `repeated: on every request \(handlerDispatch is an HTTP handler\)`
	dispatch(tlsHandler{}, w, r)
}
