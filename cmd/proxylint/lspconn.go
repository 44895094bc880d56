package main

import (
	"context"
	"os"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
)

// serveStdio serves the protocol handler h on standard input and output
// until the connection ends: JSON-RPC 2.0 with the protocol's
// Content-Length framing, from sourcegraph/jsonrpc2, which glsp builds on.
// glsp's own server package does the same, but it also brings its logging
// library and network transports, and with them a dozen modules (terminal
// colours, a deadlock detector, websockets) that a stdio server never uses.
func serveStdio(h glsp.Handler) {
	stream := jsonrpc2.NewBufferedStream(stdio{}, jsonrpc2.VSCodeObjectCodec{})
	conn := jsonrpc2.NewConn(context.Background(), stream, jsonrpc2.HandlerWithError(
		func(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			call := &glsp.Context{
				Method: req.Method,
				Notify: func(method string, params any) { conn.Notify(ctx, method, params) },
				Call:   func(method string, params, result any) { conn.Call(ctx, method, params, result) },
			}
			if req.Params != nil {
				call.Params = *req.Params
			}
			result, known, valid, err := h.Handle(call)
			switch {
			case req.Method == "exit":
				return nil, conn.Close()
			case !known:
				return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
			case !valid:
				e := &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams}
				if err != nil {
					e.Message = err.Error()
				}
				return nil, e
			case err != nil:
				return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: err.Error()}
			}
			return result, nil
		}))
	<-conn.DisconnectNotify()
}

// stdio is standard input and output as one stream.
type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error {
	err := os.Stdin.Close()
	if err2 := os.Stdout.Close(); err == nil {
		err = err2
	}
	return err
}
