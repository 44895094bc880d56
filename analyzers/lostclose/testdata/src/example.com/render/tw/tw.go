// Package tw declares what a table renderer does.
package tw

import "io"

type Renderer interface {
	Start(w io.Writer) error
	Row(cells []string)
	Config() string
	Close() error
}

// Sink is where a recorder keeps what it renders.
type Sink interface {
	Start(w io.Writer) error
	Row(cells []string)
	Close() error
}
