package a

import (
	"io"
	"sync"
)

// A stream's Close takes it out of its session's table and wakes what
// waits on it. Dropped before it was put in the table, it is plain memory.
type muxSession struct {
	mu      sync.Mutex
	w       io.Writer
	next    uint32
	streams map[uint32]*muxStream
	die     chan struct{}
}

type muxStream struct {
	id   uint32
	sess *muxSession
	done chan struct{}
	once sync.Once
}

func newMuxStream(id uint32, s *muxSession) *muxStream {
	return &muxStream{id: id, sess: s, done: make(chan struct{})}
}

func (st *muxStream) Close() error {
	st.once.Do(func() { close(st.done) })
	st.sess.mu.Lock()
	delete(st.sess.streams, st.id)
	st.sess.mu.Unlock()
	_, err := st.sess.w.Write([]byte{'F', byte(st.id)})
	return err
}

func (s *muxSession) open() (*muxStream, error) {
	s.mu.Lock()
	s.next++
	id := s.next
	s.mu.Unlock()
	st := newMuxStream(id, s)
	if _, err := s.w.Write([]byte{'S', byte(id)}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.die:
		return nil, io.ErrClosedPipe
	default:
		s.streams[id] = st
		return st, nil
	}
}

// A worker stream has a goroutine of its own, which its Close ends: lost,
// it leaks that goroutine.
type workerStream struct {
	done chan struct{}
	jobs chan int
}

func newWorkerStream() *workerStream {
	w := &workerStream{done: make(chan struct{}), jobs: make(chan int)}
	go w.run()
	return w
}

func (w *workerStream) run() {
	for {
		select {
		case <-w.jobs:
		case <-w.done:
			return
		}
	}
}

func (w *workerStream) Close() error { close(w.done); return nil }

func startWorker(skip bool) error {
	w := newWorkerStream() // want `w \(\*workerStream from newWorkerStream\) is never closed`
	if skip {
		return nil
	}
	return w.Close()
}

func dialAny(sessions []*muxSession) (*muxStream, error) {
	var err error
	for _, s := range sessions {
		var st *muxStream
		if st, err = s.open(); err == nil {
			return st, nil
		}
	}
	return nil, err
}
