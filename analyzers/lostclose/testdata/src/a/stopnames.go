package a

import (
	"net/http"
	"time"
)

// A poller whose goroutine only its Cancel ends: it has no Close, Release,
// Stop or Shutdown, and Cancel is its release.
type poller struct {
	quit chan struct{}
	hits int
}

func newPoller() *poller {
	p := &poller{quit: make(chan struct{})}
	go p.loop()
	return p
}

func (p *poller) loop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-t.C:
			p.hits++
		}
	}
}

func (p *poller) Cancel() { close(p.quit) }

// Count is not a release: it releases nothing.
func (p *poller) Count() int { return p.hits }

func pollerCancelled(w http.ResponseWriter, r *http.Request) {
	p := newPoller()
	defer p.Cancel() // released by its Cancel
	w.WriteHeader(p.Count())
}

func pollerCancelledValue(w http.ResponseWriter, r *http.Request) {
	p := newPoller()
	stop := p.Cancel // a method value of the release, called on the way out
	defer stop()
	w.WriteHeader(p.Count())
}

func pollerLost(w http.ResponseWriter, r *http.Request) {
	p := newPoller() // want `p \(\*poller from newPoller\) is never stopped on the path to the end of the function at line 55: .*call Cancel on it on that path, or return or store it`
	w.WriteHeader(p.Count())
}

// A job with a Cancel that only sets a flag releases nothing: calling it
// does not end the goroutine, which waits on its channel.
type job struct {
	in        chan int
	cancelled bool
}

func newJob() *job {
	j := &job{in: make(chan int)}
	go j.run()
	return j
}

func (j *job) run() {
	for range j.in {
	}
}

func (j *job) Cancel() { j.cancelled = true }

func jobFlagged(w http.ResponseWriter, r *http.Request) {
	j := newJob() // want `j \(\*job from newJob\) is never closed`
	j.Cancel()
}

// A monitor whose goroutine ends with StopAndWait: a release verb and a
// qualifier, judged by its body like the other stop names.
type byteMonitor struct {
	done chan struct{}
	quit chan struct{}
}

func startByteMonitor() *byteMonitor {
	m := &byteMonitor{done: make(chan struct{}), quit: make(chan struct{})}
	go m.run()
	return m
}

func (m *byteMonitor) run() {
	defer close(m.done)
	<-m.quit
}

func (m *byteMonitor) StopAndWait() {
	close(m.quit)
	<-m.done
}

// StopCount releases nothing: not a release.
func (m *byteMonitor) StopCount() int { return 0 }

func monitored(w http.ResponseWriter, r *http.Request) {
	m := startByteMonitor()
	func() {
		defer m.StopAndWait()
		w.Write([]byte("x"))
	}()
}

func monitoredNotStopped(w http.ResponseWriter, r *http.Request) {
	m := startByteMonitor() // want `m \(\*byteMonitor from startByteMonitor\) is never stopped`
	w.Write([]byte("x"))
	_ = m.StopCount()
}

// A stream's CloseSend ends the send direction only: the receiving
// goroutine lives on, so it is not the stream's release.
type halfStream struct {
	sendq chan []byte
	quit  chan struct{}
}

func openHalfStream() *halfStream {
	s := &halfStream{sendq: make(chan []byte), quit: make(chan struct{})}
	go s.recv()
	return s
}

func (s *halfStream) recv() { <-s.quit }

func (s *halfStream) CloseSend() error { close(s.sendq); return nil }

func (s *halfStream) Close() error { close(s.quit); return nil }

func halfClosed(w http.ResponseWriter, r *http.Request) {
	s := openHalfStream() // want `s \(\*halfStream from openHalfStream\) is never closed`
	s.CloseSend()
}
