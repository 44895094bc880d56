package a

// A method value keeps its receiver: returning one hands the receiver to
// the caller as returning the receiver would. One used only where it is
// made is a use, and the receiver is still lost.

type entry struct{ msg string }

type drainer struct{ entries chan entry }

func newDrainer() *drainer {
	d := &drainer{entries: make(chan entry, 8)}
	go d.drain()
	return d
}

func (d *drainer) drain() {
	for range d.entries {
	}
}

func (d *drainer) Handle(e entry) {
	select {
	case d.entries <- e:
	default:
	}
}

func (d *drainer) Close() error { close(d.entries); return nil }

// handler returns the drainer's bound Handle: the caller keeps it.
func handler() func(entry) {
	return newDrainer().Handle
}

// handlerField stores the bound method in a struct the caller gets.
type sink struct{ emit func(entry) }

func newSink() *sink {
	return &sink{emit: newDrainer().Handle}
}

// emitOnce makes the method value, calls it and drops it: the drainer's
// goroutine is lost.
func emitOnce(e entry) {
	h := newDrainer().Handle // want `the result \(\*drainer from newDrainer\) is never closed`
	h(e)
}

// closer returns the bound release method: the caller releases.
func closer() func() error {
	return newDrainer().Close
}
