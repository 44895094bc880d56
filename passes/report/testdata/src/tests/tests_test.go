package tests

import "testing"

// Findings in test files are dropped unless the check asks for them.
func TestF(t *testing.T) {
	bad()
}
