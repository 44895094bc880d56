package a

import (
	"net"
	"net/http"
	"time"
)

// An accept loop with no return at all: after it, nothing runs, so the
// listener is never lost there.
func serveForever(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		go handleDeferred(c)
	}
}

func listenForever(w http.ResponseWriter, r *http.Request) {
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		return
	}
	serveForever(l) // never returns
}

// One that can return loses it.
func acceptUntilError(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go handleDeferred(c)
	}
}

func listenUntilError(w http.ResponseWriter, r *http.Request) {
	l, err := net.Listen("tcp", ":0") // want `l \(net.Listener from net.Listen\) is never closed`
	if err != nil {
		return
	}
	acceptUntilError(l)
}
