package service

import (
	"testing"

	"example.com/traefik11423/log"
	"example.com/traefik11423/logrus"
)

// A test leaks a writer: harmless, and reported only with -logwriter.tests.
func TestLogger(t *testing.T) {
	for i := 0; i < 2; i++ {
		w := log.WithoutContext().WriterLevel(logrus.DebugLevel)
		w.Write([]byte("hello\n"))
	}
}
