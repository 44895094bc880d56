package a

import (
	"testing"
	"time"
)

// Test code is not reported: a goroutine a test leaks ends with the test binary.
func TestTimeout(t *testing.T) {
	errc := make(chan error)
	go func() {
		_, err := dial()
		errc <- err
	}()
	select {
	case err := <-errc:
		t.Log(err)
	case <-time.After(time.Second):
	}
}
