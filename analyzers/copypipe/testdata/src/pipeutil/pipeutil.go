// Package pipeutil holds copy helpers that another package's pipes call.
package pipeutil

import (
	"io"
	"net"
)

// Copy copies and does nothing else: the caller must stop the other
// direction.
func Copy(dst io.Writer, src io.Reader) error { // want Copy:`copiesParams\(0<-1 ends=false via io.Copy\)`
	_, err := io.Copy(dst, src)
	return err
}

// CopyClose closes the destination when the copy ends, whatever the error.
func CopyClose(dst, src io.ReadWriteCloser) { // want CopyClose:`copiesParams\(0<-1 ends=true via io.CopyBuffer\)`
	buf := make([]byte, 32<<10)
	io.CopyBuffer(dst, src, buf)
	dst.Close()
}

// CopyCloseOnError closes only when the copy failed: on EOF the other
// direction keeps waiting.
func CopyCloseOnError(dst, src net.Conn) { // want CopyCloseOnError:`copiesParams\(0<-1 ends=false via io.Copy\)`
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
	}
}

// Loop is a hand-written copy loop.
func Loop(dst, src io.ReadWriter) error { // want Loop:`copiesParams\(0<-1 ends=false via a Read/Write loop\)`
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			return err
		}
	}
}

// Join is a correct pipe: either direction's end closes both.
func Join(a, b io.ReadWriteCloser) {
	done := make(chan struct{}, 2)
	go func() { CopyClose(a, b); b.Close(); done <- struct{}{} }()
	go func() { CopyClose(b, a); a.Close(); done <- struct{}{} }()
	<-done
	<-done
}
