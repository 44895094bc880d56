// Package tunnel joins a client connection to the backend it asked for.
package tunnel

import (
	"io"
	"net"
)

// Pipe copies both ways; whichever direction ends first closes both
// connections, which ends the other. Closing a net.Conn twice is harmless.
func Pipe(client net.Conn, backendAddr string) error {
	backend, err := net.Dial("tcp", backendAddr)
	if err != nil {
		return err
	}
	closeBoth := func() {
		backend.Close()
		client.Close()
	}
	go func() {
		io.Copy(backend, client)
		closeBoth()
	}()
	_, err = io.Copy(client, backend)
	closeBoth()
	return err
}
