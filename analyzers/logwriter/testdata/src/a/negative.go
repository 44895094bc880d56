package a

import (
	"bytes"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"sync"

	"github.com/sirupsen/logrus"
	"tlog"
	"zlog"
)

var (
	once      sync.Once
	onceLog   *stdlog.Logger
	getLogger = sync.OnceValue(func() *stdlog.Logger {
		return stdlog.New(logrus.StandardLogger().Writer(), "", 0)
	})
	pkgWriter *io.PipeWriter
)

func init() {
	pkgWriter = logrus.StandardLogger().Writer()
	stdlog.SetOutput(logrus.StandardLogger().WriterLevel(logrus.ErrorLevel))
}

func onceHandler(rw http.ResponseWriter, req *http.Request) {
	once.Do(func() {
		onceLog = stdlog.New(logrus.StandardLogger().Writer(), "", 0)
	})
	onceLog.Print(req.URL)
	getLogger().Print(req.URL)
}

// zerolog-style writers own no goroutine.
func zerologStyle(next http.Handler) http.Handler {
	l := stdlog.New(zlog.Default.Writer(), "", 0)
	l.Print("built")
	return next
}

func deferred(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer()
	defer w.Close()
	io.WriteString(w, req.URL.Path)
}

func closedOnAllPaths(rw http.ResponseWriter, req *http.Request) error {
	w := logrus.StandardLogger().Writer()
	if req.Method == "HEAD" {
		return w.Close()
	}
	w.Write([]byte("get"))
	return w.CloseWithError(nil)
}

func deferBeforeCreation(rw http.ResponseWriter, req *http.Request) {
	var w *io.PipeWriter
	defer func() {
		if w != nil {
			w.Close()
		}
	}()
	w = logrus.StandardLogger().Writer()
	w.Write(nil)
}

func handedToOwner(rw http.ResponseWriter, req *http.Request) {
	w := logrus.StandardLogger().Writer()
	tlog.CloseLater(w, req.Context().Done())
}

func keptByRegistry(rw http.ResponseWriter, req *http.Request) {
	tlog.Keep(logrus.StandardLogger().Writer())
}

type server struct {
	errLog io.Writer
	mu     sync.Mutex
	ch     chan io.Writer
}

// A channel hands the writer to its receiver.
func (s *server) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	s.ch <- logrus.StandardLogger().Writer()
}

// Kept in a field of the receiver: it lives as long as the server, which
// this function cannot see (replacement on reload is lostclose's rule).
func (s *server) replace(rw http.ResponseWriter, req *http.Request) {
	s.mu.Lock()
	s.errLog = logrus.StandardLogger().Writer()
	s.mu.Unlock()
}

// Filled once per server: a nil check of the field first.
func (s *server) lazily(rw http.ResponseWriter, req *http.Request) {
	s.mu.Lock()
	if s.errLog == nil {
		s.errLog = logrus.StandardLogger().Writer()
	}
	s.mu.Unlock()
}

// Kept in a field its owner closes.
type closingServer struct{ w io.WriteCloser }

func (s *closingServer) Close() error { return s.w.Close() }

func (s *closingServer) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	old := s.w
	s.w = logrus.StandardLogger().Writer()
	if old != nil {
		old.Close()
	}
}

// Returned to the caller, who owns it.
func newWriter(level logrus.Level) *io.PipeWriter {
	return logrus.StandardLogger().WriterLevel(level)
}

func callsNewWriterAndCloses(rw http.ResponseWriter, req *http.Request) {
	w := newWriter(logrus.ErrorLevel)
	defer w.Close()
	w.Write(nil)
}

// A goroutine closes it when its work is done.
func closedByGoroutine(c net.Conn) {
	w := logrus.StandardLogger().Writer()
	go func() {
		defer w.Close()
		io.Copy(w, c)
	}()
}

// A pipe whose reader no goroutine reads owns no goroutine.
func bufferedPipe(c net.Conn) {
	pr, pw := io.Pipe()
	_ = pr
	_ = pw
}

// The usual correct pipe: the producing goroutine closes the writer.
func streamBody(rw http.ResponseWriter, req *http.Request) {
	pr, pw := io.Pipe()
	go func() {
		defer pw.Close()
		io.Copy(pw, bytes.NewReader([]byte("body")))
	}()
	go io.Copy(rw, pr)
}

// A constructor called we do not know how often: every call loses the
// writer inside a logger that cannot close it, so every call leaks.
func newService() *stdlog.Logger {
	return stdlog.New(logrus.StandardLogger().Writer(), "", 0) // want `this runs on every call of newService and the writer is never closed`
}

// Wrapped in something its owner closes.
type closingWriter struct{ w io.WriteCloser }

func (c *closingWriter) Close() error { return c.w.Close() }

func wrap(w io.WriteCloser) *closingWriter {
	return &closingWriter{w}
}

func ownerCloses(rw http.ResponseWriter, req *http.Request) {
	cw := wrap(logrus.StandardLogger().Writer())
	defer cw.Close()
}

// A socket wrapper (a writer through its embedded connection) held in a
// variable that a relay goroutine captures: the goroutine is the caller's
// use of the socket, not one the wrapper owns.
type udpListener struct {
	*net.UDPConn
}

func newUDPListener(addr string) (udpListener, error) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{})
	if err != nil {
		return udpListener{}, err
	}
	return udpListener{c}, nil
}

func relayUDP(conn net.Conn, addr string) {
	l, err := newUDPListener(addr)
	if err != nil {
		conn.Close()
		return
	}
	go func() {
		io.Copy(l, conn)
		l.Close()
		conn.Close()
	}()
}
