package generic

import (
	"io"
	"net/http"
)

type Source[T any] interface {
	Writer() *io.PipeWriter
	Value() T
}

func Handler[T any, S Source[T]](s S) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pw := s.Writer()
		defer pw.Close()
		_ = s.Value()
	}
}

type List[T any] struct{ items []T }

func (l *List[T]) Each(f func(T)) {
	for _, it := range l.items {
		f(it)
	}
}
