package use

import (
	"net"
	"net/http"

	"example.com/valuefield/lineproto"
)

func dialClient(addr string) (*lineproto.Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cl, err := lineproto.NewClient(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return cl, nil
}

func Check(w http.ResponseWriter, r *http.Request) {
	cl, err := dialClient(r.URL.Query().Get("addr"))
	if err != nil {
		return
	}
	defer cl.Close()
	w.Write([]byte(cl.Mech()))
}

// Still reported: a viewer that nothing can close keeps the connection.
func Peek(w http.ResponseWriter, r *http.Request) {
	conn, err := net.Dial("tcp", r.URL.Query().Get("addr")) // want `conn \(net.Conn from net.Dial\) is never closed on the path to the end of the function at line \d+`
	if err != nil {
		return
	}
	v := lineproto.NewViewer(conn)
	if v.Peek() {
		w.WriteHeader(http.StatusOK)
	}
}
