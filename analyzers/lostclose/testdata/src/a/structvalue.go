package a

import (
	"os"
	"os/exec"
)

// The two pipe ends a worker's client uses, passed by value to the
// client's constructor, which keeps them; the client's Close closes them.
type pipeEnds struct {
	in  *os.File
	out *os.File
}

type pipeClient struct {
	pipeEnds
}

func newPipeClient(ends pipeEnds) *pipeClient { return &pipeClient{pipeEnds: ends} }

func (c *pipeClient) Close() error {
	c.in.Close()
	return c.out.Close()
}

type worker struct {
	cmd    *exec.Cmd
	client *pipeClient
}

func (w *worker) start() error {
	inR, inW, err := os.Pipe()
	if err != nil {
		return err
	}
	defer inR.Close()
	outR, outW, err := os.Pipe()
	if err != nil {
		inW.Close()
		return err
	}
	defer outW.Close()
	w.cmd.ExtraFiles = []*os.File{inR, outW}
	if err := w.cmd.Start(); err != nil {
		inW.Close()
		outR.Close()
		return err
	}
	ends := pipeEnds{in: inW, out: outR}
	w.client = newPipeClient(ends)
	return nil
}
