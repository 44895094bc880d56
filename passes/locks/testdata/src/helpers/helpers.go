// Package helpers takes and releases locks for its callers.
package helpers

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

// Nested reaches a mutex two fields down.
type Outer struct{ In Inner }

type Inner struct{ Mu sync.Mutex }

func (o *Outer) Lock() { o.In.Mu.Lock() } // want Lock:"locks p0.In.Mu"

func UnlockInner(in *Inner) { in.Mu.Unlock() } // want UnlockInner:"unlocks p0.Mu"

// RLockOf read-locks.
func RLockOf(mu *sync.RWMutex) { mu.RLock() } // want RLockOf:"rlocks p0"

// A function literal's locking is not the function's.
func Later(mu *sync.Mutex) func() { return func() { mu.Lock() } }

// Generic helpers carry facts too.
type Box[T any] struct {
	mu sync.Mutex
	v  T
}

func (b *Box[T]) Hold() { b.mu.Lock() } // want Hold:"locks p0.mu"
