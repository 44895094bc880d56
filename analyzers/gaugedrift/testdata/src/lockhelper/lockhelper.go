// Package lockhelper takes and releases locks for its callers.
package lockhelper

import "sync"

func Lock(mu *sync.Mutex) { mu.Lock() } // want Lock:"locks p0"

func Unlock(mu *sync.Mutex) { mu.Unlock() } // want Unlock:"unlocks p0"

// Base is embedded by types that want its locking methods.
type Base struct {
	mu sync.RWMutex
}

func (b *Base) LockAll() { b.mu.Lock() } // want LockAll:"locks p0.mu"

func (b *Base) UnlockAll() { b.mu.Unlock() } // want UnlockAll:"unlocks p0.mu"

// Balanced leaves nothing held: no fact.
func (b *Base) Balanced() {
	b.mu.RLock()
	defer b.mu.RUnlock()
}

// Through locks through another helper.
func Through(mu *sync.Mutex) { Lock(mu) } // want Through:"locks p0"
