package a

import (
	"context"
	"io"
	"net"
	"sync"
)

// ---- reported ----

// The goroutine's copy ends and nothing closes anything: the main copy
// keeps reading server.
func leakyGo(client net.Conn, addr string) {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	go func() {
		io.Copy(server, client) // want `one direction of a pipe between server and client: when this copy returns .*nothing closes either connection`
	}()
	io.Copy(client, server)
	server.Close()
}

// go io.Copy directly: the goroutine ends with its copy.
func leakyGoDirect(client, server net.Conn) {
	defer client.Close()
	defer server.Close()
	go io.Copy(server, client) // want `one direction of a pipe`
	io.Copy(client, server)
}

// The main direction waits for the other before closing: the other waits
// for a close that never comes.
func waitsFirst(client, server net.Conn) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(server, client)
		server.Close()
		client.Close()
	}()
	io.Copy(client, server) // want `waits for the other goroutine before closing anything`
	wg.Wait()
	client.Close()
	server.Close()
}

// Both copies in goroutines; the function returns on ctx.Done() and never
// closes the connections it dialled.
func returnsEarly(ctx context.Context, addr1, addr2 string) {
	a, _ := net.Dial("tcp", addr1)
	b, _ := net.Dial("tcp", addr2)
	done := make(chan struct{}, 2)
	go func() { io.Copy(a, b); done <- struct{}{} }()
	go func() { io.Copy(b, a); done <- struct{}{} }()
	select {
	case <-ctx.Done(): // want `on the cancellation case of this select returnsEarly returns while both copies still run`
	case <-done:
	}
}

func cp(dst, src net.Conn) { io.Copy(dst, src) } // want cp:`copiesParams\(0<-1 ends=false via io.Copy\)`

// Through a helper that copies between its parameters.
func viaHelper(client, server net.Conn) {
	defer client.Close()
	defer server.Close()
	go cp(server, client) // want `one direction of a pipe`
	cp(client, server)
}

// ---- accepted ----

// remotedialer's shape: each direction closes both ends through a closure.
func pipe(client, server net.Conn) {
	wg := sync.WaitGroup{}
	wg.Add(1)
	closePipe := func(err error) error {
		client.Close()
		server.Close()
		return err
	}
	go func() {
		defer wg.Done()
		_, err := io.Copy(server, client)
		closePipe(err)
	}()
	_, err := io.Copy(client, server)
	closePipe(err)
	wg.Wait()
}

// Half-close: on EOF, CloseWrite the destination.
func halfClose(client, server *net.TCPConn) {
	go func() {
		io.Copy(server, client)
		server.CloseWrite()
	}()
	io.Copy(client, server)
	client.CloseWrite()
}

// Deferred closes in the goroutine.
func deferredInGo(client, server net.Conn) {
	go func() {
		defer server.Close()
		defer client.Close()
		io.Copy(server, client)
	}()
	io.Copy(client, server)
}

// Cancelling a context the other side honours.
func cancels(ctx context.Context, client, server net.Conn) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		<-ctx.Done()
		client.Close()
		server.Close()
	}()
	go func() {
		io.Copy(server, client)
		cancel()
	}()
	io.Copy(client, server)
	cancel()
}

// Both in goroutines; the starter closes both after the first returns.
func firstDone(addr1, addr2 string) {
	a, _ := net.Dial("tcp", addr1)
	b, _ := net.Dial("tcp", addr2)
	defer a.Close()
	defer b.Close()
	errc := make(chan error, 2)
	go func() { _, err := io.Copy(a, b); errc <- err }()
	go func() { _, err := io.Copy(b, a); errc <- err }()
	<-errc
}

// Parameters: the caller may close them once this returns.
func paramsCallerCloses(client, server net.Conn) {
	go func() {
		io.Copy(server, client)
		server.Close()
	}()
	io.Copy(client, server)
}

// Not a pipe: one direction only, or sequential copies.
func oneWay(client, server net.Conn) {
	go io.Copy(server, client)
}

func sequential(a, b net.Conn) { // want sequential:`copiesParams`
	io.Copy(a, b)
	io.Copy(b, a)
}
