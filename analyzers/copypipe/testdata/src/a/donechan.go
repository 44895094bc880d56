package a

import (
	"io"
	"net"
)

// Pipes whose directions report on a channel the starter reads fewer times
// than they send on it.

// reflect copies and then reports twice: once itself, once in the
// deferred hang-up.
func reflect(dst io.WriteCloser, src io.Reader, done chan int) { // want reflect:`copiesParams\(0<-1 ends=true via io.Copy\)`
	defer hangUp(dst, done)
	io.Copy(dst, src)
	dst.Close()
	done <- 1
}

func hangUp(dst io.Closer, done chan int) {
	dst.Close()
	done <- 1
}

func relayReflect(conn net.Conn, addr string) {
	backend, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer backend.Close()
	done := make(chan int) // want `the two directions of a pipe between backend and conn send 4 values on the channel made here, which has room for 0, and relayReflect receives 1 before it returns, so 3 of the sends block forever`
	go reflect(backend, conn, done)
	go reflect(conn, backend, done)
	<-done
}

// The classic: the first direction to end wins, and the other's send on
// the unbuffered channel never completes.
func relayFirst(client net.Conn, addr string) error {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	errc := make(chan error) // want `send 2 values on the channel made here, which has room for 0, and relayFirst receives 1 before it returns, so 1 of the sends block forever`
	go func() {
		_, err := io.Copy(server, client)
		errc <- err
	}()
	go func() {
		_, err := io.Copy(client, server)
		errc <- err
	}()
	err = <-errc
	client.Close()
	server.Close()
	return err
}

// Room for the second value: the loser's send completes.
func relayFirstBuffered(client net.Conn, addr string) error {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() {
		_, err := io.Copy(server, client)
		errc <- err
	}()
	go func() {
		_, err := io.Copy(client, server)
		errc <- err
	}()
	err = <-errc
	client.Close()
	server.Close()
	return err
}

// Both values received.
func relayBoth(client net.Conn, addr string) error {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	errc := make(chan error)
	go func() {
		_, err := io.Copy(server, client)
		server.Close()
		errc <- err
	}()
	go func() {
		_, err := io.Copy(client, server)
		client.Close()
		errc <- err
	}()
	err = <-errc
	if err2 := <-errc; err == nil {
		err = err2
	}
	return err
}

// Sends that can give up, and a send only on failure: nothing certain to
// block.
func relaySelect(client net.Conn, addr string, quit chan struct{}) {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer server.Close()
	done := make(chan int)
	report := func() {
		select {
		case done <- 1:
		default:
		}
	}
	go func() {
		io.Copy(server, client)
		server.Close()
		report()
	}()
	go func() {
		io.Copy(client, server)
		client.Close()
		report()
	}()
	<-done
}

func relayOnFailure(client net.Conn, addr string) {
	server, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer server.Close()
	errc := make(chan error)
	go func() {
		if _, err := io.Copy(server, client); err != nil {
			errc <- err
		}
		server.Close()
	}()
	go func() {
		io.Copy(client, server)
		client.Close()
	}()
	<-errc
}
