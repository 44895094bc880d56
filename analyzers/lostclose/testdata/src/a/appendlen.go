package a

import (
	"errors"
	"net"
)

// Resources collected into a local slice that is returned or handed on
// whole: a branch on the slice's length being zero cannot be taken on a
// path that appended to it.

type udpMux struct{ pc net.PacketConn }

func (m *udpMux) Close() error { return m.pc.Close() }

func newUDPMux(pc net.PacketConn) *udpMux { return &udpMux{pc: pc} }

type muxSet struct{ muxes []*udpMux }

func (s *muxSet) Close() error {
	var errs []error
	for _, m := range s.muxes {
		errs = append(errs, m.Close())
	}
	return errors.Join(errs...)
}

type closerIface interface{ Close() error }

func ListenMuxes(addrs []string) closerIface {
	var muxes []*udpMux
	for _, addr := range addrs {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			continue
		}
		muxes = append(muxes, newUDPMux(pc))
	}
	switch len(muxes) {
	case 0:
		return nil
	case 1:
		return muxes[0]
	}
	return &muxSet{muxes: muxes}
}

func ListenMuxesIf(addrs []string) closerIface {
	var muxes []*udpMux
	for _, addr := range addrs {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			continue
		}
		m := newUDPMux(pc)
		muxes = append(muxes, m)
	}
	if len(muxes) == 0 {
		return nil
	}
	return &muxSet{muxes: muxes}
}

// Still reported: the slice is emptied before the test.
func ListenMuxesReset(addrs []string, strict bool) closerIface {
	var muxes []*udpMux
	for _, addr := range addrs {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			continue
		}
		muxes = append(muxes, newUDPMux(pc)) // want `the result \(\*udpMux from newUDPMux\) is never closed on the path to the return at line \d+`
		if strict {
			muxes = nil
		}
	}
	if len(muxes) == 0 {
		return nil
	}
	return &muxSet{muxes: muxes}
}
