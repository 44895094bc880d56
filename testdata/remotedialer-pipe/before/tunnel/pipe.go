// Package tunnel joins a client connection to the backend it asked for.
package tunnel

import (
	"io"
	"net"
)

// Pipe copies both ways. When the client stops sending, the goroutine's
// copy returns and closes nothing: the other copy keeps waiting on the
// backend, and both connections stay open until the backend hangs up.
func Pipe(client net.Conn, backendAddr string) error {
	backend, err := net.Dial("tcp", backendAddr)
	if err != nil {
		return err
	}
	go func() {
		io.Copy(backend, client)
	}()
	_, err = io.Copy(client, backend)
	backend.Close()
	client.Close()
	return err
}
