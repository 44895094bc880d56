package generic

import "testing"

func TestEach(t *testing.T) {
	l := &List[int]{items: []int{1, 2}}
	n := 0
	l.Each(func(int) { n++ })
	if n != 2 {
		t.Fatal(n)
	}
}
