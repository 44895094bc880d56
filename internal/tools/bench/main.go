// Command bench times the proxylint suite against go vet's default suite and
// staticcheck on one Go module, the way issue #9 asks: warm build cache, one
// warm-up of each, then interleaved rounds, reporting the median wall time,
// CPU time (the command and every process it waited for) and peak RSS of each
// mode, and the ratios.
//
//	go run ./internal/tools/bench [-rounds 5] [-staticcheck path] DIR
//
// go vet caches analysis results by tool and flags, which would time a cache
// lookup rather than an analysis. Each proxylint vet-mode run therefore uses
// a fresh copy of the binary with a few random bytes appended: its identity
// (the hash of its executable) changes, so its results cannot come from the
// cache, while compiled packages still do. cmd/vet is identified by its Go
// version instead, so its runs vary a flag that changes nothing. staticcheck gets a fresh STATICCHECK_CACHE
// per run for the same reason. Standalone proxylint runs with its result
// cache off (PROXYLINT_CACHE=off), except in the "warm cache" mode, which
// times a re-run of the unchanged module answered from a cache that the
// warm-up round filled.
//
// -old adds the vet and standalone modes of another proxylint binary (the
// build before a change, say), and -modes keeps only the modes whose names contain
// one of its comma-separated words; the ratios are then to the first mode
// kept. The argument may be "std" for the standard library (run in GOROOT/src,
// on std).
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

type sample struct {
	wall, cpu time.Duration
	rssKB     int64
}

type mode struct {
	name string
	cmd  func(scratch string) *exec.Cmd
	runs []sample
}

func main() {
	rounds := flag.Int("rounds", 5, "timed rounds after the warm-up")
	staticcheck := flag.String("staticcheck", "", "staticcheck binary (default: staticcheck on PATH; omitted if absent)")
	proxylint := flag.String("proxylint", "", "proxylint binary (default: built from this checkout)")
	old := flag.String("old", "", "another proxylint binary whose vet and standalone modes are timed too")
	only := flag.String("modes", "", "comma-separated words: time only the modes whose names contain one")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: bench [-rounds N] [-old BIN] [-modes words] DIR|std")
	}
	pattern := "./..."
	dir := flag.Arg(0)
	if dir == "std" {
		out, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			log.Fatal(err)
		}
		dir, pattern = filepath.Join(strings.TrimSpace(string(out)), "src"), "std"
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		log.Fatal(err)
	}
	tmp, err := os.MkdirTemp("", "proxylint-bench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	if *proxylint == "" {
		*proxylint = filepath.Join(tmp, "proxylint")
		build := exec.Command("go", "build", "-o", *proxylint, "./cmd/proxylint")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			log.Fatalf("building proxylint: %v", err)
		}
	}
	if *staticcheck == "" {
		*staticcheck, _ = exec.LookPath("staticcheck")
	}
	modes := []*mode{
		{name: "go vet", cmd: func(s string) *exec.Cmd {
			// cmd/vet's identity is its Go version, not its hash: vary a
			// flag that changes nothing (a printf wrapper name no code has).
			return exec.Command("go", "vet", "-printf.funcs=benchNonce"+filepath.Base(s), pattern)
		}},
		{name: "proxylint (go vet -vettool)", cmd: func(s string) *exec.Cmd {
			return exec.Command("go", "vet", "-vettool="+freshCopy(*proxylint, s), pattern)
		}},
		{name: "proxylint (standalone)", cmd: func(string) *exec.Cmd {
			return withEnv(exec.Command(*proxylint, pattern), "PROXYLINT_CACHE=off")
		}},
		{name: "proxylint (standalone, warm cache)", cmd: func(string) *exec.Cmd {
			return withEnv(exec.Command(*proxylint, pattern), "PROXYLINT_CACHE="+filepath.Join(tmp, "pl-cache"))
		}},
	}
	if *old != "" {
		modes = append(modes, &mode{name: "proxylint (go vet -vettool, -old)", cmd: func(s string) *exec.Cmd {
			return exec.Command("go", "vet", "-vettool="+freshCopy(*old, s), pattern)
		}}, &mode{name: "proxylint (standalone, -old)", cmd: func(string) *exec.Cmd {
			return withEnv(exec.Command(*old, pattern), "PROXYLINT_CACHE=off")
		}})
	}
	if *staticcheck != "" {
		modes = append(modes, &mode{name: "staticcheck", cmd: func(s string) *exec.Cmd {
			return withEnv(exec.Command(*staticcheck, pattern), "STATICCHECK_CACHE="+filepath.Join(s, "sc-cache"))
		}})
	}
	if *only != "" {
		modes = slices.DeleteFunc(modes, func(m *mode) bool {
			for _, w := range strings.Split(*only, ",") {
				if strings.Contains(m.name, w) {
					return false
				}
			}
			return true
		})
		if len(modes) == 0 {
			log.Fatalf("-modes %s keeps no mode", *only)
		}
	}

	// Warm the build cache and the module cache, then time interleaved rounds.
	for round := -1; round < *rounds; round++ {
		for _, m := range modes {
			scratch, err := os.MkdirTemp(tmp, "run")
			if err != nil {
				log.Fatal(err)
			}
			s := measure(m.cmd(scratch), dir)
			os.RemoveAll(scratch)
			if round >= 0 {
				m.runs = append(m.runs, s)
			}
			fmt.Fprintf(os.Stderr, "round %d %-28s wall %6.2fs cpu %6.2fs rss %5d MiB\n", round, m.name, s.wall.Seconds(), s.cpu.Seconds(), s.rssKB/1024)
		}
	}

	base := median(modes[0].runs)
	fmt.Printf("| mode | wall (median) | CPU (median) | peak RSS (median) | wall ÷ %[1]s | CPU ÷ %[1]s |\n|---|---|---|---|---|---|\n", modes[0].name)
	for _, m := range modes {
		s := median(m.runs)
		fmt.Printf("| %s | %.2f s | %.2f s | %d MiB | %.2f | %.2f |\n", m.name, s.wall.Seconds(), s.cpu.Seconds(), s.rssKB/1024,
			s.wall.Seconds()/base.wall.Seconds(), s.cpu.Seconds()/base.cpu.Seconds())
	}
}

// withEnv adds settings to the environment of cmd.
func withEnv(cmd *exec.Cmd, env ...string) *exec.Cmd {
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// freshCopy copies the executable src into dir with random bytes appended,
// so that go vet sees a tool it has never cached results for.
func freshCopy(src, dir string) string {
	dst := filepath.Join(dir, filepath.Base(src))
	in, err := os.Open(src)
	if err != nil {
		log.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		log.Fatal(err)
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	out.Write(nonce)
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
	return dst
}

// measure runs cmd in dir; findings (a non-zero exit) are expected and fine.
func measure(cmd *exec.Cmd, dir string) sample {
	cmd.Dir = dir
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "GOWORK=off", "GOFLAGS=-mod=mod")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		log.Fatalf("%v: %v", cmd.Args, err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall: wall, cpu: cpu, rssKB: ru.Maxrss}
}

func median(s []sample) sample {
	pick := func(f func(sample) int64) int64 {
		v := make([]int64, len(s))
		for i, x := range s {
			v[i] = f(x)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return sample{
		wall:  time.Duration(pick(func(x sample) int64 { return int64(x.wall) })),
		cpu:   time.Duration(pick(func(x sample) int64 { return int64(x.cpu) })),
		rssKB: pick(func(x sample) int64 { return x.rssKB }),
	}
}
