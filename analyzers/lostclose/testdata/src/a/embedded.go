package a

import (
	"errors"
	"syscall"
)

// A descriptor kept by an embedded value whose Close the owner promotes:
// the owner made from it is the descriptor's owner (net's UDPConn embeds
// conn, whose Close closes its fd).
type sockFD struct{ sysfd int }

func (fd *sockFD) Close() error { return syscall.Close(fd.sysfd) }

func newSock() (*sockFD, error) {
	s, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM, 0)
	if err != nil {
		return nil, err
	}
	return &sockFD{sysfd: s}, nil
}

type baseConn struct{ fd *sockFD }

func (c *baseConn) Close() error { return c.fd.Close() }

type datagramConn struct{ baseConn }

func newDatagramConn(fd *sockFD) *datagramConn { return &datagramConn{baseConn{fd}} }

func dialDatagram() (*datagramConn, error) {
	fd, err := newSock()
	if err != nil {
		return nil, errors.New("socket")
	}
	return newDatagramConn(fd), nil
}

// An embedded value with no release of its own holds the descriptor
// without being able to close it.
type plainBase struct{ fd *sockFD }

type statConn struct{ plainBase }

func newStatConn(fd *sockFD) *statConn { return &statConn{plainBase{fd}} }

func dialStat() (*statConn, error) {
	fd, err := newSock() // want `fd \(\*sockFD from newSock\) is never closed on the path to the return at line 52: it is kept only by a.newStatConn, which cannot close it`
	if err != nil {
		return nil, errors.New("socket")
	}
	return newStatConn(fd), nil
}
