// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// The log file: opening it with its checks (goinstrReopen), this
// process's header line (goinstrOpen), whole-line writes (goinstrWriteLine)
// and size-based rotation shared safely by several processes
// (goinstrWriteRotating). Everything here runs with goinstrMu held.

package reflect

import (
	"runtime"
	"strconv"
	"unsafe"
)

// goinstrCPath is goinstrPath NUL-terminated, for the system calls.
func goinstrCPath(suffix int) *byte {
	p := make([]byte, 0, len(goinstrPath)+8)
	p = append(p, goinstrPath...)
	if suffix > 0 {
		p = append(p, '.')
		p = strconv.AppendInt(p, int64(suffix), 10)
	}
	p = append(p, 0)
	return &p[0]
}

// goinstrReopen opens the log's name (again), with the same checks;
// called with goinstrMu held.
func goinstrReopen() bool {
	fd := goinstrOpenLog(goinstrCPath(0))
	if fd < 0 {
		goinstrFailed = true
		return false
	}
	if !goinstrCheckLog(fd) { // not a regular file of ours
		goinstrClose(fd)
		goinstrFailed = true
		return false
	}
	goinstrFd = fd
	return true
}

// goinstrOpen opens the log and writes this process's header line;
// called with goinstrMu held.
func goinstrOpen() bool {
	if !goinstrReopen() {
		return false
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"time":"`...)
	b = goinstrAppendNow(b)
	// schema: the layout of these lines, raised on an incompatible change
	// so that an older goinstr report skips the process and says so.
	b = append(b, `","msg":"goinstr.start","schema":1,"pid":`...)
	b = strconv.AppendInt(b, int64(goinstrGetpid()), 10)
	b = append(b, `,"exe":`...)
	a0 := goinstrShowPath(goinstrArg0())
	b = goinstrAppendString(b, a0, len(a0))
	b = append(b, `,"go":"`...)
	b = append(b, runtime.Version()...)
	b = append(b, `","goos":"`...)
	b = append(b, runtime.GOOS...)
	b = append(b, `","goarch":"`...)
	b = append(b, runtime.GOARCH...)
	b = append(b, `","goinstr":"`...)
	b = append(b, goinstrVersion...)
	b = append(b, `","ops":"`...)
	b = append(b, goinstrSelected...)
	if goinstrRedacted != "" {
		b = append(b, `","redact":"`...)
		b = append(b, goinstrRedacted...)
	}
	b = append(b, '"')
	if goinstrTrustGoroot { // built from a GOROOT that was not verified
		b = append(b, `,"trust_goroot":true`...)
	}
	b = append(b, `,"max_string":`...)
	b = strconv.AppendInt(b, int64(goinstrCut), 10)
	if goinstrMaxBytes > 0 {
		b = append(b, `,"max_bytes":`...)
		b = strconv.AppendInt(b, goinstrMaxBytes, 10)
		b = append(b, `,"keep":`...)
		b = strconv.AppendInt(b, int64(goinstrKeep), 10)
	}
	b = append(b, "}\n"...)
	return goinstrWriteLine(b)
}

// goinstrWriteLine writes one whole line with a single write(2): with
// O_APPEND, lines of concurrent processes never interleave.
func goinstrWriteLine(b []byte) bool {
	if goinstrMaxBytes > 0 {
		return goinstrWriteRotating(b)
	}
	return goinstrWriteOnce(b)
}

func goinstrWriteOnce(b []byte) bool {
	if goinstrWrite(goinstrFd, unsafe.Pointer(&b[0]), int32(len(b))) != int32(len(b)) {
		goinstrFailed = true
		goinstrClose(goinstrFd)
		goinstrFd = -1
		return false
	}
	return true
}

// goinstrWriteRotating writes a line under rotation: when the line would
// take the log past goinstrMaxBytes, PATH.N-1 ... PATH.1 and PATH move up
// one (PATH.N is dropped) and a new PATH is started. Processes sharing the
// log serialize on an exclusive flock of the current file, and each first
// checks that its descriptor is still the file the name points at (else
// another process rotated: it reopens the name), so a line always lands,
// whole, in the file that is PATH when it is written. Called with
// goinstrMu held.
func goinstrWriteRotating(b []byte) bool {
	const lockEx, lockUn = 2, 8
	for try := 0; try < 16; try++ {
		if !goinstrFlock(goinstrFd, lockEx) {
			break // no locks here: write without rotating
		}
		fdev, fino, size, ok := goinstrFdStat(goinstrFd)
		pdev, pino, pok := goinstrPathStat(goinstrCPath(0))
		if !ok {
			goinstrFlock(goinstrFd, lockUn)
			break
		}
		if !pok || pdev != fdev || pino != fino {
			goinstrFlock(goinstrFd, lockUn)
			goinstrClose(goinstrFd)
			goinstrFd = -1
			if !goinstrReopen() {
				return false
			}
			continue
		}
		if size > 0 && size+int64(len(b)) > goinstrMaxBytes {
			for k := goinstrKeep - 1; k >= 1; k-- {
				goinstrRename(goinstrCPath(k), goinstrCPath(k+1))
			}
			goinstrRename(goinstrCPath(0), goinstrCPath(1))
			goinstrFlock(goinstrFd, lockUn)
			continue // the check above now reopens the name
		}
		done := goinstrWriteOnce(b)
		if goinstrFd >= 0 {
			goinstrFlock(goinstrFd, lockUn)
		}
		return done
	}
	return goinstrWriteOnce(b)
}
