package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// heapFloor is the heap below which the collector runs as GOGC says.
const heapFloor = 1 << 30

// heapSlack is how far above the live heap the soft limit is set once the
// live heap passes heapFloor*4/5: a quarter, where GOGC=100 lets the heap
// double.
const heapSlack = 1.25

// boundHeap keeps the standalone driver's heap near what it needs. The
// driver's live heap is small except while a few big packages are in
// flight (on traefik it peaks at about 1.1 GiB while the AWS SDK's ec2
// package is analysed, and is 230 MiB at the end), and at the default
// GOGC the heap grows to twice its live size before the collector runs,
// so the process's peak RSS was twice its live peak. A soft memory limit
// of heapFloor lets the collector run earlier only when the heap nears
// it; once the live heap exceeds it, a fixed limit would make the
// collector run without pause, so after every collection the limit is
// raised to heapSlack times the live heap: the cost then stays that of a
// lower GOGC, never of a collector that cannot keep up. A GOGC or
// GOMEMLIMIT the user sets wins.
func boundHeap() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(heapFloor)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		// A finalizer runs after the collection that finds its object
		// unreachable: one fresh object per cycle is a hook after every
		// collection.
		runtime.SetFinalizer(&struct{ _ *byte }{}, func(any) {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				live := float64(sample[0].Value.Uint64())
				debug.SetMemoryLimit(max(heapFloor, int64(live*heapSlack)))
			}
			arm()
		})
	}
	arm()
}
