package a

import (
	"io"
	"net"
	"sync"
)

// Each direction half-closes its destination through a type assertion when
// the connection supports it, and closes it otherwise: on every path the
// peer sees EOF, so the other direction ends too.
func pumpHalf(wg *sync.WaitGroup, dst, src net.Conn) { // want pumpHalf:`copiesParams\(1<-2 ends=true via io.Copy\)`
	defer wg.Done()
	io.Copy(dst, src)
	if hc, ok := dst.(interface{ CloseWrite() error }); ok {
		hc.CloseWrite()
	} else {
		dst.Close()
	}
}

func relayHalf(client net.Conn, backend string) {
	up, err := net.Dial("tcp", backend)
	if err != nil {
		client.Close()
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go pumpHalf(&wg, up, client)
	pumpHalf(&wg, client, up)
	wg.Wait()
	up.Close()
	client.Close()
}

// Half-closed only when the assertion holds: on the other path nothing
// stops the other direction.
func pumpMaybe(wg *sync.WaitGroup, dst, src net.Conn) { // want pumpMaybe:`copiesParams\(1<-2 ends=false via io.Copy\)`
	defer wg.Done()
	io.Copy(dst, src)
	if hc, ok := dst.(interface{ CloseWrite() error }); ok {
		hc.CloseWrite()
	}
}

func relayMaybe(client net.Conn, backend string) {
	up, err := net.Dial("tcp", backend)
	if err != nil {
		client.Close()
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go pumpMaybe(&wg, up, client) // want `one direction of a pipe`
	pumpMaybe(&wg, client, up)
	wg.Wait()
	up.Close()
	client.Close()
}
