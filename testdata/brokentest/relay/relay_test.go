package relay

import "testing"

func TestHandle(t *testing.T) {
	HandleRenamed(nil) // the function was renamed; this test no longer compiles
}
