// Package stagegraph builds a graph of nodes whose runners come later.
package stagegraph

import (
	"context"
	"net"
)

// runner is what a graph node runs once it is built.
type runner interface {
	Start(ctx context.Context) error
	Shutdown(ctx context.Context) error
}

// stageNode gets its Shutdown from the runner it embeds, which stays nil
// until build: a node made and dropped before that holds nothing.
type stageNode struct {
	name string
	runner
}

func newStageNode(name string) *stageNode { return &stageNode{name: name} }

func (n *stageNode) key() string { return "stage/" + n.name }

func (n *stageNode) build(mk func(string) (runner, error)) error {
	r, err := mk(n.name)
	if err != nil {
		return err
	}
	n.runner = r
	return nil
}

type stageGraph struct{ nodes map[string]*stageNode }

func (g *stageGraph) getOrAdd(name string) *stageNode {
	n := newStageNode(name)
	if old, ok := g.nodes[n.key()]; ok {
		return old
	}
	g.nodes[n.key()] = n
	return n
}

func stageKeys(names []string) map[string]bool {
	m := map[string]bool{}
	for _, name := range names {
		m[newStageNode(name).key()] = true
	}
	return m
}

// connRunner runs on a connection it owns.
type connRunner struct{ c net.Conn }

func (r *connRunner) Start(ctx context.Context) error    { return nil }
func (r *connRunner) Shutdown(ctx context.Context) error { return r.c.Close() }

// A node built with its runner at once holds it from birth.
func newDialedNode(name, addr string) (*stageNode, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &stageNode{name: name, runner: &connRunner{c: c}}, nil
}

func dialedKey(name, addr string) string {
	n, err := newDialedNode(name, addr) // want `n \(\*stageNode from newDialedNode\) is never shut down`
	if err != nil {
		return ""
	}
	return n.key()
}
