package a

// A session made once per entry, on first use, into an entry a lookup
// returns from a registry: one per owner, not a replacement.

type procEntry struct {
	sess *session
}

var procEntries = map[string]*procEntry{}

func findEntry(name string) *procEntry { return procEntries[name] }

func spawnEntry(name, addr string) {
	p := findEntry(name)
	s := p.sess
	if s == nil {
		var err error
		s, err = dialSession(addr)
		if err != nil {
			return
		}
		p.sess = s
	}
	s.br.Peek(1)
}

func superviseEntries(names []string, addr string) {
	for _, n := range names {
		spawnEntry(n, addr)
	}
}
