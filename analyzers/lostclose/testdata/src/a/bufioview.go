package a

import (
	"bufio"
	"net"
	"net/http"
)

// A bufio.Reader on a connection only holds it: the connection is still
// the caller's to close.

func helloHandler(w http.ResponseWriter, r *http.Request) {
	c, err := net.Dial("tcp", "backend:7") // want `c \(net.Conn from net.Dial\) is never closed on the path to the end of the function at line 19: it is not returned, stored or handed to an owner there; this leaks on every request`
	if err != nil {
		return
	}
	line, _ := bufio.NewReader(c).ReadString('\n')
	w.Write([]byte(line))
}

func helloHandlerClosed(w http.ResponseWriter, r *http.Request) {
	c, err := net.Dial("tcp", "backend:7")
	if err != nil {
		return
	}
	defer c.Close()
	line, _ := bufio.NewReader(c).ReadString('\n')
	w.Write([]byte(line))
}

// A helper that hands its argument back: the result is the connection.
func same(c net.Conn) net.Conn {
	if c == nil {
		return nil
	}
	return c
}

func sameHandler(w http.ResponseWriter, r *http.Request) {
	c, err := net.Dial("tcp", "backend:7")
	if err != nil {
		return
	}
	d := same(c)
	defer d.Close() // closes c
	w.Write(nil)
}

func sameHandlerLost(w http.ResponseWriter, r *http.Request) {
	c, err := net.Dial("tcp", "backend:7") // want `c \(net.Conn from net.Dial\) is never closed on the path to the end of the function at line 56`
	if err != nil {
		return
	}
	_ = same(c)
	w.Write(nil)
}
