// Package filterlist keeps rule lists, in memory or in files, in a
// storage that closes the lists it is given.
package filterlist

import (
	"io"
	"os"
	"strings"
)

type RuleList interface {
	io.Closer
	ID() int
	Lines() []string
}

type StringList struct {
	Num  int
	Text string
}

func (l *StringList) ID() int         { return l.Num }
func (l *StringList) Lines() []string { return strings.Split(l.Text, "\n") }
func (l *StringList) Close() error    { return nil }

type FileList struct {
	num int
	f   *os.File
}

func NewFileList(num int, name string) (*FileList, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &FileList{num: num, f: f}, nil
}

func (l *FileList) ID() int         { return l.num }
func (l *FileList) Lines() []string { return nil }
func (l *FileList) Close() error    { return l.f.Close() }

type Storage struct {
	lists []RuleList
	index map[int]int
}

func NewStorage(lists []RuleList) (*Storage, error) {
	index := make(map[int]int, len(lists))
	for i, l := range lists {
		index[l.ID()] = i
	}
	return &Storage{lists: lists, index: index}, nil
}

func (s *Storage) Close() error {
	for _, l := range s.lists {
		l.Close()
	}
	return nil
}

func (s *Storage) Match(host string) bool { return len(s.lists) > 0 }
