// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// The log file: opening it with its checks (goinstrReopen), this
// process's header line (goinstrOpen) and limit lines, and writes of
// whole lines, with size-based rotation shared safely by several
// processes (goinstrWriteLine). Everything here runs with goinstrMu held.
// The header's and limit lines' format is docs/log.md's, which owns it;
// tests/logger.sh checks them against its golden fixture,
// tests/logger/golden.jsonl.

package reflect

import (
	"runtime"
	"strconv"
	"unsafe"
)

// The log file's state, behind goinstrMu.
var (
	goinstrFd         int32 = -1
	goinstrFailed     bool
	goinstrLogPath    string // the log's absolute path, fixed at the first event
	goinstrPending    []byte // this process's header, not yet in the current file
	goinstrPart       int    // files this process began with its header
	goinstrStart      string // the time of its first header
	goinstrHeaderRest []byte // its header after "part"
)

// goinstrMaxDeps bounds the header's list of dependencies (about 1,000
// modules); goinstrMaxLine bounds the rest of the header.
const goinstrMaxDeps = 64 << 10

// goinstrCPath is the log's path (with suffix .N if N > 0)
// NUL-terminated, for the system calls.
func goinstrCPath(suffix int) *byte {
	p := make([]byte, 0, len(goinstrLogPath)+8)
	p = append(p, goinstrLogPath...)
	if suffix > 0 {
		p = append(p, '.')
		p = strconv.AppendInt(p, int64(suffix), 10)
	}
	p = append(p, 0)
	return &p[0]
}

// goinstrOpen opens the log's name (again), with its checks, and renders
// the header this process will begin the file with; called with
// goinstrMu held. A relative INSTRUMENTATION_LOG_PATH is resolved
// against the working directory once, at the first open: a chdir later
// moves neither the log nor its rotated files. The runtime opens it
// without blocking (a FIFO at the path cannot hang the program), never on
// fd 0, 1 or 2, and it must be a regular file of this user with one link
// (goinstrCheckLog).
func goinstrOpen() bool {
	if goinstrLogPath == "" {
		p := goinstrPath
		if p[0] != '/' {
			cwd := goinstrGetcwd()
			if len(cwd) == 0 || cwd[0] != '/' {
				goinstrFailed = true
				return false
			}
			if cwd != "/" {
				cwd += "/"
			}
			p = cwd + p
		}
		goinstrLogPath = p
	}
	fd := goinstrOpenLog(goinstrCPath(0))
	if fd < 0 {
		goinstrFailed = true
		return false
	}
	if !goinstrCheckLog(fd) { // not a regular file of ours, or linked elsewhere
		goinstrClose(fd)
		goinstrFailed = true
		return false
	}
	goinstrFd = fd
	if goinstrPending == nil { // else the header not yet written, as it was
		goinstrPending = goinstrHeader()
	}
	return true
}

// goinstrHeader is this process's header line for the file it is
// about to write to first: every file a process writes to begins with its
// header, so rotation never loses a process's identity. part counts them
// (1 in the first file); start, the time of the first, is the same in
// every copy. The rest is computed once (goinstrHeaderFields).
func goinstrHeader() []byte {
	b := make([]byte, 0, 256+len(goinstrHeaderRest))
	b = append(b, `{"time":"`...)
	n := len(b)
	b = goinstrAppendNow(b)
	if goinstrStart == "" {
		goinstrStart = string(b[n:])
		goinstrHeaderRest = goinstrHeaderFields()
	}
	// schema: the layout of these lines, raised on an incompatible change
	// so that an older goinstr report skips the process and says so.
	b = append(b, `","msg":"goinstr.start","schema":2,"pid":`...)
	b = strconv.AppendInt(b, int64(goinstrGetpid()), 10)
	b = append(b, `,"start":"`...)
	b = append(b, goinstrStart...)
	b = append(b, `","part":`...)
	b = strconv.AppendInt(b, int64(goinstrPart+1), 10)
	return append(b, goinstrHeaderRest...)
}

// goinstrHeaderFields is the header after "part": what the binary is
// (exe, its modules) and what this run selected. Only the list of
// dependencies may take the line past goinstrMaxLine (by at most
// goinstrMaxDeps bytes; those past it are counted in "deps_cut").
func goinstrHeaderFields() []byte {
	b := make([]byte, 0, 512)
	b = append(b, `,"exe":`...)
	b = goinstrAppendString(b, goinstrShowPath(goinstrExe), goinstrMaxStatic)
	b = append(b, `,"argv0":`...)
	b = goinstrAppendString(b, goinstrShowPath(goinstrArgv0), goinstrMaxStatic)
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
	b = append(b, '"')
	info := goinstrModinfo()
	if u := goinstrBuildSetting(info, "goinstr.unsafe"); u != "" { // the link's mark
		b = append(b, `,"unsafe":`...)
		b = goinstrAppendString(b, u, goinstrMaxStatic)
	}
	main, deps := goinstrParseModinfo(info)
	b = goinstrAppendModules(b, main, deps, goinstrMaxDeps)
	if goinstrRedacted != "" {
		b = append(b, `,"redact":"`...)
		b = append(b, goinstrRedacted...)
		b = append(b, '"')
	}
	if goinstrRedactUnknown != "" {
		b = append(b, `,"redact_unknown":`...)
		b = goinstrAppendString(b, goinstrRedactUnknown, goinstrMaxStatic)
	}
	if goinstrTrustGoroot { // built from a GOROOT that was not verified
		b = append(b, `,"trust_goroot":true`...)
	}
	b = goinstrAppendBlind(b, goinstrBlind(), goinstrMaxDeps)
	b = append(b, `,"max_string":`...)
	b = strconv.AppendInt(b, int64(goinstrCut), 10)
	b = append(b, `,"max_events":`...)
	b = strconv.AppendInt(b, int64(goinstrMaxEvents), 10)
	if goinstrMaxBytes > 0 {
		b = append(b, `,"max_bytes":`...)
		b = strconv.AppendInt(b, goinstrMaxBytes, 10)
		b = append(b, `,"keep":`...)
		b = strconv.AppendInt(b, int64(goinstrKeep), 10)
	}
	return append(b, "}\n"...)
}

// goinstrAppendBlind appends the header's "blind" field: what goinstr
// could not instrument in this binary, one {"pkg","why"} per package (the
// link step recorded it: see goinstrBlind in the runtime), at most max
// bytes of them; those past it are counted in "blind_cut".
func goinstrAppendBlind(b []byte, list string, max int) []byte {
	if list == "" {
		return b
	}
	b = append(b, `,"blind":[`...)
	start, cut, first := len(b), 0, true
	for list != "" {
		line := list
		if i := goinstrIndexByte(list, '\n'); i >= 0 {
			line, list = list[:i], list[i+1:]
		} else {
			list = ""
		}
		pkg, why := line, ""
		if i := goinstrIndexByte(line, '\t'); i >= 0 {
			pkg, why = line[:i], line[i+1:]
		}
		if pkg == "" {
			continue
		}
		if len(b)-start > max {
			cut++
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"pkg":`...)
		b = goinstrAppendString(b, pkg, goinstrMaxStatic)
		b = append(b, `,"why":`...)
		b = goinstrAppendString(b, why, goinstrMaxStatic)
		b = append(b, '}')
	}
	b = append(b, ']')
	if cut > 0 {
		b = append(b, `,"blind_cut":`...)
		b = strconv.AppendInt(b, int64(cut), 10)
	}
	return b
}

// goinstrIndexByte is strings.IndexByte (reflect may not import strings).
func goinstrIndexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// goinstrLimitLine says that the cap on distinct events was reached and
// how many were dropped since.
func goinstrLimitLine() []byte {
	b := make([]byte, 0, 128)
	b = append(b, `{"time":"`...)
	b = goinstrAppendNow(b)
	b = append(b, `","msg":"goinstr.limit","pid":`...)
	b = strconv.AppendInt(b, int64(goinstrGetpid()), 10)
	b = append(b, `,"limit":`...)
	b = strconv.AppendInt(b, int64(goinstrMaxEvents), 10)
	b = append(b, `,"dropped":`...)
	b = strconv.AppendInt(b, goinstrDropped, 10)
	return append(b, "}\n"...)
}

// goinstrWriteLine writes b, whole lines, with a single write(2) (with
// O_APPEND, lines of concurrent processes never interleave), whole or not
// at all, after this process's header if the file is new to it.
// Processes sharing the log serialize on an exclusive flock of the
// current file. Each first checks that its descriptor is still the file
// the name points at (else another process rotated, logrotate renamed
// it, or it was removed: it reopens the name), so a line always lands,
// whole, in the file that is PATH when it is written. Under rotation,
// when the lines would take the log past goinstrMaxBytes, PATH.N-1 ...
// PATH.1 and PATH move up one (PATH.N is dropped) and a new PATH is
// started: no file holds more than goinstrMaxBytes, but for a file whose
// first write alone is larger. A writer that finds PATH moved again and
// again (goinstrMaxTries times: other processes rotating it) writes to
// the file it holds if the lines fit there, and drops them if not.
// Called with goinstrMu held.
func goinstrWriteLine(b []byte) bool {
	const lockEx, lockUn = 2, 8
	if goinstrFd < 0 && !goinstrOpen() {
		return false
	}
	for try := 0; ; try++ {
		locked := goinstrFlock(goinstrFd, lockEx)
		fdev, fino, size, ok := goinstrFdStat(goinstrFd)
		if locked && ok {
			// The name moved away (rotated by another process or by
			// logrotate, or removed): the line goes to the file that is
			// PATH now.
			pdev, pino, pok := goinstrPathStat(goinstrCPath(0))
			moved := !pok || pdev != fdev || pino != fino
			if moved && try < goinstrMaxTries {
				goinstrFlock(goinstrFd, lockUn)
				goinstrClose(goinstrFd)
				goinstrFd = -1
				if !goinstrOpen() {
					return false
				}
				continue
			}
			if goinstrMaxBytes > 0 && size > 0 && size+int64(len(goinstrPending)+len(b)) > goinstrMaxBytes {
				if moved { // PATH keeps moving: the lines fit nowhere held
					goinstrFlock(goinstrFd, lockUn)
					return false
				}
				if !goinstrRotate() {
					return false
				}
				// Another process may have made the name anew between
				// the rename and the open, and written: check again
				// (the lock is held; taking it again changes nothing).
				continue
			}
		}
		out := b
		if goinstrPending != nil { // a file new to this process: its header first
			out = append(goinstrPending, b...)
		}
		done := goinstrWriteAll(out, size, locked && ok)
		if done && goinstrPending != nil {
			goinstrPending = nil
			goinstrPart++
		}
		if locked && goinstrFd >= 0 {
			goinstrFlock(goinstrFd, lockUn)
		}
		return done
	}
}

// goinstrMaxTries bounds how often one write follows PATH to a new file:
// each time, another process rotated it (and wrote), so under contention
// a writer waits its turn, but a name replaced without end cannot hold
// the program.
const goinstrMaxTries = 1 << 10

// goinstrRotate moves PATH.N-1 ... PATH.1 and PATH up one and starts a
// new PATH, locked: called with the current file locked and full. The new
// file is this process's to start: it is locked before the old lock goes,
// so a process that waited on the old one finds the new one taken and
// waits again, instead of racing this one to it (which, under load, could
// rotate a process's line away again and again).
func goinstrRotate() bool {
	const lockEx, lockUn = 2, 8
	for k := goinstrKeep - 1; k >= 1; k-- {
		goinstrRename(goinstrCPath(k), goinstrCPath(k+1))
	}
	goinstrRename(goinstrCPath(0), goinstrCPath(1))
	old := goinstrFd
	goinstrFd = -1
	if !goinstrOpen() {
		goinstrFlock(old, lockUn)
		goinstrClose(old)
		return false
	}
	goinstrFlock(goinstrFd, lockEx)
	goinstrFlock(old, lockUn)
	goinstrClose(old)
	return true
}

// goinstrWriteAll writes b at the end of the log, which is size bytes
// long if known. A write cut short (a full disk, RLIMIT_FSIZE) would leave
// half a line for the next line, or the next process's header, to run
// into: its bytes are taken back (known: under the lock every writer
// takes), and logging stops.
func goinstrWriteAll(b []byte, size int64, known bool) bool {
	n := goinstrWrite(goinstrFd, unsafe.Pointer(&b[0]), int32(len(b)))
	if n == int32(len(b)) {
		return true
	}
	if n > 0 && known {
		goinstrFtruncate(goinstrFd, size)
	}
	goinstrFailed = true
	goinstrClose(goinstrFd)
	goinstrFd = -1
	return false
}
