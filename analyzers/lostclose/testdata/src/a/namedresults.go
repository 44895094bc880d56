package a

import (
	"io"
	"os"
)

// A function with a defer keeps its named results in cells: return rc, n
// stores rc back into its own cell before the final load, which still
// returns the file.
func openNamed(path string, wrap bool) (rc io.ReadCloser, n int64, err error) {
	defer func() {}()
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	if wrap {
		rc = struct{ io.ReadCloser }{f}
	} else {
		rc = f
	}
	st, err := f.Stat()
	if err != nil {
		rc.Close()
		return nil, 0, err
	}
	return rc, st.Size(), nil
}

func readNamed(paths []string) (total int64) {
	for _, p := range paths {
		rc, n, err := openNamed(p, false)
		if err != nil {
			continue
		}
		total += n
		rc.Close()
	}
	return total
}

// The same function returning something else on its last path loses it.
func openNamedLost(path string) (rc io.ReadCloser, n int64, err error) {
	defer func() {}()
	f, ferr := os.Open(path) // want `f \(\*os.File from os.Open\) is never closed on the path to the return at line 51`
	if ferr != nil {
		return nil, 0, ferr
	}
	rc = f
	if st, serr := f.Stat(); serr == nil && st.Size() == 0 {
		return nil, 0, nil
	}
	return rc, 0, nil
}
