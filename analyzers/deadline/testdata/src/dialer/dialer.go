// Package dialer is a dialing library whose bodies its callers cannot use
// for facts: a call of one of its Dial functions is a fresh connection.
package dialer

import "net"

var dialFn = net.Dial

// Dial dials through a variable: no fact says what it returns.
func Dial(addr string) (net.Conn, error) { return dialFn("tcp", addr) }

// DialDualStack as well.
func DialDualStack(addr string) (net.Conn, error) { return dialFn("tcp", addr) }
