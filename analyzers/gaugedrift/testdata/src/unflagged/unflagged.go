package unflagged

import "sync"

// Level has no gauge method set; the test names it with -types.
type Level struct{ n int64 }

func (l *Level) Add(d int64) { l.n += d }

type hub struct {
	mu      sync.Mutex
	clients map[string]bool
	level   *Level
}

func (h *hub) join(id string) {
	h.mu.Lock()
	h.clients[id] = true
	h.mu.Unlock()
	h.level.Add(1)
}

func (h *hub) leave(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.clients[id] {
		delete(h.clients, id)
		h.level.Add(-1)
	}
}
