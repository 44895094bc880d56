package relay

import (
	"io"
	"net"
	"testing"
)

func TestRelay(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	c, _ := ln.Accept()
	up, _ := net.Dial("tcp", "127.0.0.1:1")
	io.Copy(c, up)
}
