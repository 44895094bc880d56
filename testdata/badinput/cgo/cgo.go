package cgo

/*
static int answer(void) { return 42; }
*/
import "C"

import "io"

func Answer() int { return int(C.answer()) }

func Pipe() (*io.PipeReader, *io.PipeWriter) { return io.Pipe() }
