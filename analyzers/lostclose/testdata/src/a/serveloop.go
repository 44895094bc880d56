package a

import (
	"context"
	"log"
	"net"
)

// A serving loop that returns only once its context is done.
func echoUDP(ctx context.Context, pc *net.UDPConn) {
	buf := make([]byte, 1500)
	for {
		n, addr, err := pc.ReadFromUDP(buf)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		_, _ = pc.WriteToUDP(buf[:n], addr)
	}
}

// Served with a context nothing cancels, the loop never returns: the socket
// lives as long as the process.
func serveEchoForever(addr string) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		log.Print(err)
		return
	}
	pc, err := net.ListenUDP("udp", ua)
	if err != nil {
		log.Print(err)
		return
	}
	echoUDP(context.Background(), pc)
}

// Served with the caller's context, the loop returns when it is cancelled
// and the socket is left open.
func serveEcho(ctx context.Context, addr string) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return
	}
	pc, err := net.ListenUDP("udp", ua) // want `pc \(\*net.UDPConn from net.ListenUDP\) is never closed`
	if err != nil {
		return
	}
	echoUDP(ctx, pc)
}

// A loop that also returns on a read error is no forever loop.
func echoUntilError(ctx context.Context, pc *net.UDPConn) {
	buf := make([]byte, 1500)
	for {
		select {
		case <-ctx.Done():
			return
		default:
		}
		if _, err := pc.Read(buf); err != nil {
			return
		}
	}
}

func serveUntilError(addr string) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return
	}
	pc, err := net.ListenUDP("udp", ua) // want `pc \(\*net.UDPConn from net.ListenUDP\) is never closed`
	if err != nil {
		return
	}
	echoUntilError(context.Background(), pc)
}
