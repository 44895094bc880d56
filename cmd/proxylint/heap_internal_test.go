package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestBoundHeap: the standalone driver sets a soft memory limit of
// heapFloor, raised after each collection to heapSlack times the live heap
// when that is larger, and leaves the runtime alone when the user set GOGC
// or GOMEMLIMIT.
func TestBoundHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "50")
	debug.SetMemoryLimit(math.MaxInt64)
	boundHeap()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOGC set, the limit became %d", got)
	}

	t.Setenv("GOGC", "")
	boundHeap()
	if got := debug.SetMemoryLimit(-1); got != heapFloor {
		t.Errorf("limit = %d, want %d", got, heapFloor)
	}
	if testing.Short() {
		return
	}
	// A live heap above the floor raises the limit after a collection.
	big := make([]byte, heapFloor+heapFloor/4)
	for i := range big {
		if i%4096 == 0 {
			big[i] = 1
		}
	}
	var got int64
	for range 50 { // the hook runs in the finalizer goroutine, after the collection
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if got = debug.SetMemoryLimit(-1); got > heapFloor {
			break
		}
	}
	runtime.KeepAlive(big)
	if got <= heapFloor {
		t.Errorf("with a live heap of %d, the limit stayed %d", len(big), got)
	}
}
