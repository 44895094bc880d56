package a

import (
	"io"
	"net"

	"github.com/sirupsen/logrus"
)

func perItem(items []string) {
	for _, it := range items {
		w := logrus.StandardLogger().Writer() // want `on every iteration of a loop`
		io.WriteString(w, it)
	}
}

func perItemClosure(items []string, run func(func())) {
	for _, it := range items {
		run(func() {
			w := logrus.StandardLogger().Writer() // want `in a closure made on every iteration of a loop in perItemClosure`
			io.WriteString(w, it)
		})
	}
}

// A pipe whose reader a goroutine drains, per connection.
func handleConn(c net.Conn) {
	pr, pw := io.Pipe() // want `io.Pipe \(its reader is read by a goroutine\) creates a pipe writer .* for every connection \(handleConn takes a net.Conn\)`
	go io.Copy(c, pr)
	pw.Write([]byte("hello"))
}
