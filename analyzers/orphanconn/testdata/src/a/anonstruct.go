package a

// A struct type spelled twice, in a field's element type and in the literal
// that fills it, is one type: the literal's make is an assignment of the
// field the receives read.
type ticketQueue struct {
	tickets []*struct {
		ready chan int
	}
	quit chan struct{}
}

func newTicketQueue(n int) *ticketQueue {
	q := &ticketQueue{tickets: make([]*struct{ ready chan int }, n), quit: make(chan struct{})}
	for i := range q.tickets {
		q.tickets[i] = &struct{ ready chan int }{ready: make(chan int, 1)}
	}
	return q
}

func (q *ticketQueue) put(i, v int) { q.tickets[i%len(q.tickets)].ready <- v }

func (q *ticketQueue) take(i int) (int, bool) {
	select {
	case v := <-q.tickets[i%len(q.tickets)].ready:
		return v, true
	case <-q.quit:
		return 0, false
	}
}

func (q *ticketQueue) drain(i int) int { return <-q.tickets[i%len(q.tickets)].ready }

func (q *ticketQueue) stop() { close(q.quit) }

// Another struct type spelled twice, whose channel nothing ever makes, is
// still nil.
type hollowQueue struct {
	slots []*struct {
		gate chan int
	}
}

func newHollowQueue(n int) *hollowQueue {
	q := &hollowQueue{slots: make([]*struct{ gate chan int }, n)}
	for i := range q.slots {
		q.slots[i] = &struct{ gate chan int }{}
	}
	return q
}

func (q *hollowQueue) take(i int) int {
	return <-q.slots[i%len(q.slots)].gate // want `gate is never assigned anywhere in package a: it is nil.*this receive blocks forever`
}

// The same in a generic type: its constructor's literal names the
// constructor's type parameter, the field the type's.
type resultRing[O any] struct {
	slots []*struct {
		out chan O
	}
	quit chan struct{}
}

func newResultRing[O any](n int) *resultRing[O] {
	r := &resultRing[O]{slots: make([]*struct{ out chan O }, n), quit: make(chan struct{})}
	for i := range r.slots {
		r.slots[i] = &struct{ out chan O }{out: make(chan O, 1)}
	}
	return r
}

func (r *resultRing[O]) put(i int, v O) { r.slots[i%len(r.slots)].out <- v }

func (r *resultRing[O]) take(i int) (O, bool) {
	select {
	case v := <-r.slots[i%len(r.slots)].out:
		return v, true
	case <-r.quit:
		var zero O
		return zero, false
	}
}

func (r *resultRing[O]) stop() { close(r.quit) }
