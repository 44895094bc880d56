package a

import (
	"errors"
	"net/http"
	"os"
)

type qfile struct{ f *os.File }

func newQFile(p string) (*qfile, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	return &qfile{f}, nil
}

func (q *qfile) Close() error { return q.f.Close() }

func closeQFiles(qs []*qfile) error {
	var errs []error
	for _, q := range qs {
		errs = append(errs, q.Close())
	}
	return errors.Join(errs...)
}

type qreader struct{ qs []*qfile }

// Files opened in a loop: a missing one is skipped (continue), and on any
// other error the ones opened so far are closed by a helper that takes the
// slice. The file of an earlier round is not lost by a later failure.
func newQReader(files []string) (*qreader, error) {
	qs := make([]*qfile, 0)
	for _, f := range files {
		q, err := newQFile(f)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			closeQFiles(qs)
			return nil, err
		}
		qs = append(qs, q)
	}
	return &qreader{qs: qs}, nil
}

func qreaderHandler(w http.ResponseWriter, r *http.Request) {
	rd, err := newQReader(nil)
	if err != nil {
		return
	}
	_ = rd
}
