package a

import (
	"errors"
	"os"
)

// A sink writing a stream into a run of segment files: the helper that
// opens the next file is called only where the field is empty, under a nil
// test, or after a method of the sink closed and cleared it.

type segSink struct {
	paths []string
	idx   int
	f     *os.File
	left  int
}

func (s *segSink) openSeg() error {
	f, err := os.Create(s.paths[s.idx])
	if err != nil {
		return err
	}
	s.f = f
	s.left = 4096
	return nil
}

func (s *segSink) closeSeg() error {
	if s.f == nil {
		return nil
	}
	if err := s.f.Close(); err != nil {
		return err
	}
	s.f = nil
	return nil
}

func (s *segSink) next() error {
	if err := s.closeSeg(); err != nil {
		return err
	}
	s.idx++
	if s.idx >= len(s.paths) {
		return nil
	}
	return s.openSeg()
}

func (s *segSink) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		if s.idx >= len(s.paths) {
			return total, errors.New("too much data")
		}
		if s.f == nil {
			if err := s.openSeg(); err != nil {
				return total, err
			}
		}
		if s.left == 0 {
			if err := s.next(); err != nil {
				return total, err
			}
			continue
		}
		k := min(len(p), s.left)
		n, err := s.f.Write(p[:k])
		total += n
		s.left -= n
		p = p[n:]
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Still reported: a reload that opens the first file over the current one.
func (s *segSink) Reload() error {
	s.idx = 0
	f, err := os.Create(s.paths[0])
	if err != nil {
		return err
	}
	s.f = f // want `field f is overwritten with a new resource every time Reload runs`
	return nil
}
