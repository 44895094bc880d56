package a

import (
	"context"
	"net"
	"strings"
	"time"
)

type probeReply struct {
	text string
	err  error
}

func (p *probeReply) Err() error { return p.err }

type cacheClient struct{ conn net.Conn }

func dialCache(addr string) *cacheClient {
	c, _ := net.Dial("tcp", addr)
	return &cacheClient{conn: c}
}

func (c *cacheClient) Close() error       { return c.conn.Close() }
func (c *cacheClient) probe() *probeReply { return &probeReply{} }

type anyCache interface{ Close() error }

type shardSet struct{ shards []string }

func (s *shardSet) Close() error { return nil }

// With a defer, every return goes through the result cell: the client
// stored there on each of the two early paths is returned on both.
func openCache(addr string) anyCache {
	c := dialCache(addr)
	_, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	info := c.probe()
	if info.Err() != nil || !strings.Contains(info.text, "cluster") {
		return c
	}
	nodes := c.probe()
	if nodes.Err() != nil {
		return c
	}
	_ = c.Close()
	return &shardSet{shards: strings.Split(nodes.text, ",")}
}

// The same shape that forgets it on the second path still loses it there.
func openCacheLeaky(addr string) anyCache {
	c := dialCache(addr) // want `c \(\*cacheClient from dialCache\) is never closed on the path to the return at line 60`
	_, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if c.probe().Err() != nil {
		return c
	}
	if c.probe().Err() != nil {
		return nil
	}
	return c
}
