// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// The goinstr_*.go files of this directory are added to package reflect by
// goinstr (in the build overlay only). Together they are the logger behind
// the calls goinstr injects at the entry of reflect's exported functions;
// goinstr_ops.go, generated beside them, holds one helper per instrumented
// function (the slow path of its hook) and the table of op names. The
// lines they write are docs/log.md's format, which goinstr report reads
// (src/logline.c): a change of the format changes both and that file.
//
// This file holds what the others share: the runtime's primitives they are
// lent (declared here, defined in package runtime's goinstr_*.go), the
// switch every hook tests, and the initialization. The rest, by concern:
//
//	goinstr_config.go   INSTRUMENTATION_* settings, read once
//	goinstr_key.go      dedup keys and the lock-free table of keys seen (hot path)
//	goinstr_frames.go   who called: caller, origin, wrappers
//	goinstr_event.go    deciding an event and describing it as a log line
//	goinstr_json.go     JSON strings, numbers, times, addresses
//	goinstr_file.go     the log file: open, checks, header, writes, rotation
//	goinstr_modinfo.go  the binary's modules, for the header
//	goinstr_sha256.go   SHA-256, for redaction
//
// The files marked "Pure:" use nothing of package reflect, only each other
// and the runtime primitives declared here: tests/logger.sh compiles them,
// unchanged but for their package clause, into a test package (with those
// primitives given by the test) and tests them as Go code.
//
// Rules these files keep:
//   - They call no exported function or method of package reflect, so it
//     can never recurse into instrumented code, and it uses neither fmt nor
//     os (reflect may not import them); file I/O, the environment and the
//     clock come from package runtime (goinstr_linux.go there).
//   - With INSTRUMENTATION_LOG_PATH unset, an instrumented function pays
//     one predictable branch on goinstrOn.
//   - With logging on, an event already seen costs, inline in the hooked
//     function, a key built from its arguments, a multiply-shift hash, one
//     atomic load and a compare (goinstrHit, goinstrHitTag): no call, no
//     lock, no allocation. Values reach the helpers by value and only
//     their fields are read, as uintptrs, so no argument escapes (e2e
//     compares reflect's escape analysis with the plain build's).
//   - Nothing here panics into the program and nothing is ever printed: a
//     log that cannot be opened or written is silently given up.

package reflect

import "unsafe"

// Provided by package runtime through //go:linkname (see its goinstr_*.go).
// None keeps a pointer it is passed: go:noescape says so, or escape
// analysis would assume they do, and a string a program passes to a
// hooked function (FieldByName's name) would move to the heap.

//go:noescape
func goinstrOpenLog(path *byte) int32

//go:noescape
func goinstrWrite(fd int32, p unsafe.Pointer, n int32) int32

//go:noescape
func goinstrGetenv(key string) string

//go:noescape
func goinstrStrhash(s string) uintptr

//go:noescape
func goinstrStrhashSeed(s string, seed uintptr) uintptr

//go:noescape
func goinstrPathStat(path *byte) (dev, ino uint64, ok bool)

//go:noescape
func goinstrRename(from, to *byte) bool

//go:noescape
func goinstrStaticType(t unsafe.Pointer) bool

func goinstrClose(fd int32)
func goinstrWalltime() (sec int64, nsec int32)
func goinstrGetpid() int
func goinstrArg0() string
func goinstrCheckLog(fd int32) bool
func goinstrRand() uint64
func goinstrGOROOT() string
func goinstrFdStat(fd int32) (dev, ino uint64, size int64, ok bool)
func goinstrFlock(fd int32, how int32) bool
func goinstrFtruncate(fd int32, size int64) bool
func goinstrGetcwd() string
func goinstrExecutable() string
func goinstrModinfo() string
func goinstrSetUnsafeHook(h func(op, file string, line, col int, expr, from, to string))
func goinstrBlind() string

// goinstrPath is read once, before main runs; goinstrOn is the one branch
// every instrumented function takes.
var (
	goinstrPath = goinstrGetenv("INSTRUMENTATION_LOG_PATH")
	goinstrOn   = goinstrPath != ""
)

// With logging on, the runtime hands unsafe sites' events to this logger.
func init() {
	if goinstrOn {
		goinstrConfigure()
		goinstrSetUnsafeHook(goinstrUnsafeEvent)
	}
}
