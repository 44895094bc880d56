package state

import (
	"sync"

	"helpers"
)

// probe reports the mutexes held where it is called.
func probe() {}

type T struct {
	mu sync.Mutex
	rw sync.RWMutex
	sync.Mutex
	out helpers.Outer
}

func (t *T) direct() {
	probe() // want `must=\[\] may=\[\]`
	t.mu.Lock()
	probe() // want `must=\[T.mu\] may=\[T.mu\]`
	t.mu.Unlock()
	probe() // want `must=\[\] may=\[\]`
}

func (t *T) deferred() {
	t.rw.RLock()
	defer t.rw.RUnlock()
	probe() // want `must=\[T.rw\] may=\[T.rw\]`
}

func (t *T) branch(b bool) {
	if b {
		t.mu.Lock()
	}
	probe() // want `must=\[\] may=\[T.mu\]`
	if b {
		t.mu.Unlock()
	}
}

func (t *T) embedded() {
	t.Lock()
	probe() // want `must=\[T.Mutex\] may=\[T.Mutex\]`
	t.Unlock()
}

func (t *T) helper() {
	t.out.Lock()
	probe() // want `must=\[Inner.Mu\] may=\[Inner.Mu\]`
	helpers.UnlockInner(&t.out.In)
	probe() // want `must=\[\] may=\[\]`
}

func (t *T) loop(n int) {
	for i := 0; i < n; i++ {
		t.mu.Lock()
		probe() // want `must=\[T.mu\] may=\[T.mu\]`
		t.mu.Unlock()
	}
	probe() // want `must=\[\] may=\[\]`
}

func (t *T) local() {
	t.lockMu()
	probe() // want `must=\[T.mu\] may=\[T.mu\]`
	t.mu.Unlock()
}

func (t *T) lockMu() { t.mu.Lock() }

func generic(b *helpers.Box[int]) {
	b.Hold()
	probe() // want `must=\[Box.mu\] may=\[Box.mu\]`
}
