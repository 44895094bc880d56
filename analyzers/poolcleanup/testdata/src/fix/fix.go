package fix

import (
	"context"
	"sync"

	"wasmapi"
)

// encoder runs a goroutine until closed: a resource.
type encoder struct {
	work chan []byte
	done chan struct{}
}

func newEncoder() *encoder {
	e := &encoder{work: make(chan []byte), done: make(chan struct{})}
	go func() {
		for range e.work {
		}
		close(e.done)
	}()
	return e
}

func (e *encoder) Close() error {
	close(e.work)
	<-e.done
	return nil
}

type wrapper struct{ enc *encoder }

var pool sync.Pool

func put() {
	w := &wrapper{enc: newEncoder()} // want `\*wrapper created here is put in a sync.Pool`
	pool.Put(w)
}

type guest struct{ mod wasmapi.Module }

var guests sync.Pool

// Close takes a context: the fix gives it context.Background().
func putGuest(ctx context.Context, rt wasmapi.Runtime) error {
	mod, err := rt.InstantiateModule(ctx, "guest")
	if err != nil {
		return err
	}
	g := &guest{mod: mod} // want `\*guest created here is put in a sync.Pool`
	guests.Put(g)
	return nil
}
