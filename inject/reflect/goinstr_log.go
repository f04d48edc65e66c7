// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// This file is added to package reflect by goinstr (in the build overlay
// only). It is the logger behind the calls goinstr injects at the entry of
// reflect's exported functions; goinstr_ops.go, generated beside it, holds
// one helper per instrumented function (the slow path of its hook) and the
// table of op names.
//
// Rules this file keeps:
//   - It calls no exported function or method of package reflect, so it
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

import (
	"internal/abi"
	"internal/goarch"
	"math/bits"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

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
func goinstrPathStat(path *byte) (dev, ino uint64, ok bool)

//go:noescape
func goinstrRename(from, to *byte) bool

func goinstrClose(fd int32)
func goinstrWalltime() (sec int64, nsec int32)
func goinstrGetpid() int
func goinstrArg0() string
func goinstrCheckLog(fd int32) bool
func goinstrRand() uint64
func goinstrGOROOT() string
func goinstrFdStat(fd int32) (dev, ino uint64, size int64, ok bool)
func goinstrFlock(fd int32, how int32) bool
func goinstrSetUnsafeHook(h func(op, id, file string, line, col int, expr, to string, typ any, ptr uintptr, n int, what int))

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

// What INSTRUMENTATION_REDACT and INSTRUMENTATION_MAX_STRING select; set
// once, at initialization. Malformed values fall back to the defaults:
// nothing redacted, strings cut at goinstrMaxString bytes.
var (
	goinstrRedactStrings bool // string arguments: length and SHA-256 prefix
	goinstrRedactPaths   bool // $HOME/... file names: ~/...
	goinstrRedactAddrs   bool // addresses: keyed per process
	goinstrRedacted      string
	goinstrHome          string
	goinstrAddrKey       [32]byte
	goinstrCut           = goinstrMaxString
	goinstrRoot          string // the build's GOROOT, "" for -trimpath builds
	goinstrMaxBytes      int64  // INSTRUMENTATION_LOG_MAX_BYTES: rotate past this size (0: never)
	goinstrKeep          = 3    // INSTRUMENTATION_LOG_KEEP: rotated files kept, PATH.1 ... PATH.N
)

func goinstrConfigure() {
	goinstrRoot = goinstrGOROOT()
	r := goinstrGetenv("INSTRUMENTATION_REDACT")
	for len(r) > 0 {
		w := r
		for i := 0; i < len(r); i++ {
			if r[i] == ',' {
				w, r = r[:i], r[i:]
				break
			}
		}
		if w == r {
			r = ""
		} else {
			r = r[1:]
		}
		switch w {
		case "strings":
			goinstrRedactStrings = true
		case "paths":
			goinstrRedactPaths = true
		case "addresses":
			goinstrRedactAddrs = true
		}
	}
	for _, on := range [...]struct {
		b    bool
		name string
	}{{goinstrRedactStrings, "strings"}, {goinstrRedactPaths, "paths"}, {goinstrRedactAddrs, "addresses"}} {
		if on.b {
			if goinstrRedacted != "" {
				goinstrRedacted += ","
			}
			goinstrRedacted += on.name
		}
	}
	goinstrHome = goinstrGetenv("HOME")
	for len(goinstrHome) > 1 && goinstrHome[len(goinstrHome)-1] == '/' {
		goinstrHome = goinstrHome[:len(goinstrHome)-1]
	}
	if goinstrRedactAddrs {
		for i := 0; i < len(goinstrAddrKey); i += 8 {
			x := goinstrRand()
			for j := 0; j < 8; j++ {
				goinstrAddrKey[i+j] = byte(x >> (8 * j))
			}
		}
	}
	if m := goinstrGetenv("INSTRUMENTATION_LOG_MAX_BYTES"); m != "" {
		n, err := strconv.ParseInt(m, 10, 64)
		if err == nil && n > 0 {
			goinstrMaxBytes = n
		}
	}
	if m := goinstrGetenv("INSTRUMENTATION_LOG_KEEP"); m != "" {
		n, err := strconv.Atoi(m)
		if err == nil && n >= 1 && n <= 1000 {
			goinstrKeep = n
		}
	}
	if m := goinstrGetenv("INSTRUMENTATION_MAX_STRING"); m != "" {
		n, err := strconv.Atoi(m)
		if err == nil && n >= 1 && n <= 1<<16 {
			goinstrCut = n
		}
	}
}

// goinstrShowPath is a file name as logged: with paths redacted, the
// home directory prefix becomes ~.
func goinstrShowPath(p string) string {
	h := goinstrHome
	if goinstrRedactPaths && len(h) > 1 && len(p) > len(h) && p[:len(h)] == h && p[len(h)] == '/' {
		return "~" + p[len(h):]
	}
	return p
}

// goinstrHashHex appends the first 16 hex digits of SHA-256(key || b).
func goinstrHashHex(dst []byte, key []byte, b []byte) []byte {
	buf := make([]byte, 0, len(key)+len(b))
	buf = append(append(buf, key...), b...)
	sum := goinstrSum256(buf)
	for _, c := range sum[:8] {
		dst = append(dst, goinstrHex[c>>4], goinstrHex[c&15])
	}
	return dst
}

// String arguments are cut at goinstrMaxString bytes, targets (which may
// hold a name passed by the program) at goinstrMaxTarget.
const (
	goinstrMaxString = 64
	goinstrMaxTarget = 4 * goinstrMaxString
	goinstrMaxExpr   = 120 // source text of unsafe sites
)

// A goinstrKey names an event for deduplication: the return address into
// its caller (pc), the op, and a target (e.g. the called function's entry,
// or a type and a method name: named). Four words, so that the compiler
// keeps a hook's key in registers.
type goinstrKey struct {
	pc     uintptr
	tag    uint64 // goinstrTag: op and target address
	t2, t3 uint64
}

// goinstrTag packs op number op (bits 0-8; a name's length goes in bits
// 9-13, goinstrViaBit is bit 14) with a target address t, rotated left by
// 15 bits: its top 15 bits, zero for an address below 2^49, land in the
// op's. So a tag is exact for targets below 2^49: every address on
// linux/amd64 and linux/arm64, the bound Go's runtime itself relies on
// there (runtime/tagptr_64bit.go). Where addresses are wider (riscv64
// with Sv57), two targets whose addresses differed only above bit 48
// could share a tag.
func goinstrTag(op uint32, t uintptr) uint64 { return bits.RotateLeft64(uint64(t), 15) ^ uint64(op) }

// goinstrOpMask: a tag's op number, the index into goinstrOps.
const goinstrOpMask = 1<<9 - 1

// slot is where k's probe sequence starts in goinstrCache: one multiply-
// shift over the fields folded with rotations, a few cycles. It only
// spreads keys; equality is checked on the keys themselves.
func (k goinstrKey) slot() uint64 {
	// Rotations written as shifts: the compiler folds those of a zero
	// field (most keys have no t2, t3), not those of bits.RotateLeft64.
	h := uint64(k.pc) ^ (k.tag<<21 | k.tag>>43) ^ (k.t2<<42 | k.t2>>22) ^ k.t3
	return h * 0xbf58476d1ce4e5b9 >> (64 - goinstrCacheBits) // < len(goinstrCache)
}

// goinstrCache is a lock-free set of the keys already decided (logged, or
// skipped as calls from inside reflect): open addressing over slots that
// hold the keys themselves. A slot is filled once: its pc goes from 0
// (empty) to 1 (being filled; no return address is 0 or 1) to the key's
// pc, stored last, after which nothing in it changes. It holds no
// pointer, so the garbage collector never scans it, and filling it
// allocates nothing. A key that finds no room is decided again under
// goinstrMu, which is slower but still exact.
const (
	goinstrCacheBits  = 16 // 2 MiB of zero pages, touched as keys arrive
	goinstrCacheProbe = 16
)

type goinstrSlot struct { // 32 bytes: one cache line holds it whole
	pc     atomic.Uintptr
	tag    uint64
	t2, t3 uint64
}

var goinstrCache [1 << goinstrCacheBits]goinstrSlot

// holds is whether s holds k. The fields after pc are read only once pc
// shows they were published.
func (s *goinstrSlot) holds(k goinstrKey) bool {
	return s.pc.Load() == k.pc && s.tag == k.tag && s.t2 == k.t2 && s.t3 == k.t3
}

// goinstrInner holds return addresses known to be inside package reflect
// (goinstrFrames' inner): a hooked function called from there is no event
// whatever its arguments, so the hooks dismiss such a call before they
// build its key. A slot only ever holds such an address, the last one
// stored, so a match is exact.
var goinstrInner [1 << 10]atomic.Uintptr

func goinstrInnerSlot(pc uintptr) uint64 { return uint64(pc) * 0x9e3779b97f4a7c15 >> (64 - 10) }

// goinstrIsInner is the hooks' first test (inlined).
func goinstrIsInner(pc uintptr) bool { return goinstrInner[goinstrInnerSlot(pc)].Load() == pc }

// goinstrHit is the hot path, small enough to be inlined into the
// hooks: whether k sits in its first slot, as nearly every key does.
// (Written field by field: == on the structs would call memequal.)
func goinstrHit(k goinstrKey) bool {
	return goinstrCache[k.slot()].holds(k)
}

// goinstrHitTag is goinstrHit for a hook whose keys never have t2, t3
// (a type for target, or none). Which key fields are set depends only on
// the op, which the tag holds, so a slot with k's pc and tag holds k.
func goinstrHitTag(k goinstrKey) bool {
	s := &goinstrCache[k.slot()]
	return s.pc.Load() == k.pc && s.tag == k.tag
}

// goinstrSeen is whether k was decided before, looking further than
// goinstrHit; called on its misses.
func goinstrSeen(k *goinstrKey) bool {
	i := k.slot()
	for n := uint64(0); n < goinstrCacheProbe; n++ {
		s := &goinstrCache[(i+n)&(1<<goinstrCacheBits-1)]
		if s.pc.Load() == 0 {
			return false
		}
		if s.holds(*k) {
			return true
		}
	}
	return false
}

// goinstrRemember caches k, if there is room. Two goroutines may both
// cache the same key, in two slots: harmless, a lookup finds either.
func goinstrRemember(k *goinstrKey) {
	i := k.slot()
	for n := uint64(0); n < goinstrCacheProbe; n++ {
		s := &goinstrCache[(i+n)&(1<<goinstrCacheBits-1)]
		if s.pc.Load() == 0 && s.pc.CompareAndSwap(0, 1) {
			s.tag, s.t2, s.t3 = k.tag, k.t2, k.t3
			s.pc.Store(k.pc) // publishes the fields above
			return
		}
		if s.holds(*k) {
			return
		}
	}
}

// State behind goinstrMu: the exact keys decided, the lines written (an
// op, target and caller position may have several PCs, e.g. when the
// calling function was inlined in several places) and the log file.
var (
	goinstrMu       sync.Mutex
	goinstrKeys     map[goinstrKey]struct{}
	goinstrWrappers map[goinstrKey]struct{} // keys whose pc is inside a wrapper (goinstrBegin)
	goinstrLines    map[string]struct{}
	goinstrFd       int32 = -1
	goinstrFailed   bool
)

// A goinstrEvent is one log line being built, on the slow path only.
type goinstrEvent struct {
	head   []byte // msg .. origin
	recv   []byte
	args   []byte
	target string
	line   string // caller position, part of the line's identity
	site   []byte // unsafe sites: {"id":...}
}

// goinstrBegin decides a key missed by goinstrSeen. It returns nil when
// the key was decided before, when the instrumented function was called
// from inside package reflect, or when logging has failed.
func goinstrBegin(k *goinstrKey) (e *goinstrEvent) {
	defer func() {
		if recover() != nil {
			e = nil
		}
	}()
	if goinstrSeen(k) {
		return nil
	}
	goinstrMu.Lock()
	_, dup := goinstrKeys[*k]
	_, wrapper := goinstrWrappers[*k]
	failed := goinstrFailed
	goinstrMu.Unlock()
	if wrapper {
		if !goinstrVia(k) || goinstrSeen(k) {
			return nil
		}
		goinstrMu.Lock()
		_, dup = goinstrKeys[*k]
		goinstrMu.Unlock()
	}
	if dup || failed {
		goinstrRemember(k)
		return nil
	}

	caller, origin, ok, inner, direct := goinstrFrames(true)
	goinstrMu.Lock()
	if k.tag&goinstrViaBit == 0 && (!direct || goinstrInWrapper(k.pc)) {
		// k.pc is inside an autogenerated wrapper (a method value, an
		// interface call), which every caller of the wrapper shares: such
		// calls are keyed by the wrapper's caller instead, and k itself
		// is never cached, so that each caller is seen.
		inner = false
		if goinstrWrappers == nil {
			goinstrWrappers = make(map[goinstrKey]struct{})
		}
		goinstrWrappers[*k] = struct{}{}
		goinstrMu.Unlock()
		if !goinstrVia(k) {
			return nil
		}
		goinstrMu.Lock()
	}
	_, dup = goinstrKeys[*k]
	if !dup {
		if goinstrKeys == nil {
			goinstrKeys = make(map[goinstrKey]struct{})
		}
		goinstrKeys[*k] = struct{}{}
	}
	goinstrMu.Unlock()
	goinstrRemember(k)
	if inner {
		goinstrInner[goinstrInnerSlot(k.pc)].Store(k.pc)
	}
	if dup || !ok {
		return nil
	}

	op := goinstrOps[k.tag&goinstrOpMask]
	return goinstrNewEvent(op.name, op.cat, &caller, &origin)
}

// goinstrViaBit marks, in the tag, a key whose pc was moved by goinstrVia.
const goinstrViaBit = 1 << 14

// goinstrInWrapper is whether pc, a return address, lies in an
// autogenerated wrapper. Tracebacks elide such wrappers (runtime.Callers
// lists no frame for them), so goinstrFrames cannot see them.
func goinstrInWrapper(pc uintptr) bool {
	f := runtime.FuncForPC(pc - 1)
	if f == nil {
		return false
	}
	file, _ := f.FileLine(pc - 1)
	return file == "<autogenerated>"
}

// goinstrVia moves k.pc, a return address into a wrapper, to the return
// address into the code that called the hooked function through it: the
// entry after the hooked function's in runtime.Callers, which elides the
// wrapper. It is false if there is none.
func goinstrVia(k *goinstrKey) bool {
	var pcs [32]uintptr
	n := runtime.Callers(2, pcs[:])
	for i := 0; i+1 < n; i++ {
		if f := runtime.FuncForPC(pcs[i] - 1); f != nil && !goinstrIsHelper(f.Name()) {
			k.pc = pcs[i+1] // pcs[i] is the hooked function's
			k.tag |= goinstrViaBit
			return true
		}
	}
	return false
}

// goinstrFrames finds, from its caller's caller up, the frame of the
// code that performed the operation (caller) and the first frame outside
// the standard library (origin, zero if none). Frames of goinstr's helpers
// (named goinstr*, in reflect or in a rewritten package) are skipped; then,
// for a reflect entry hook (hooked), the frame of the hooked function
// itself, and ok is false if its caller is package reflect. direct tells
// that no autogenerated wrapper stands between the hooked function and its
// caller, and inner that the caller is then package reflect: the same
// holds for every call returning to the same address (goinstrInner).
func goinstrFrames(hooked bool) (caller, origin runtime.Frame, ok, inner, direct bool) {
	var pcs [64]uintptr
	n := runtime.Callers(3, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	state := 0 // 0: helpers, 1: the hooked function, 2: its callers
	direct = true
	for {
		f, more := frames.Next()
		if f.File == "<autogenerated>" {
			// Method-value and interface wrappers stand for their callers,
			// which differ from call to call at the same address.
			direct = direct && state != 1
		} else if state == 0 {
			if !goinstrIsHelper(f.Function) {
				state = 1
				if !hooked {
					caller, state = f, 2
				}
			}
		} else if state == 1 {
			if goinstrFuncPkg(f.Function) == "reflect" {
				return caller, origin, false, direct, direct // reflect calling itself is not an event
			}
			caller = f
			state = 2
		}
		if state == 2 && !goinstrIsStd(f) {
			origin = f
			break
		}
		if !more {
			break
		}
	}
	return caller, origin, state == 2, false, direct
}

// goinstrIsHelper reports whether fn is one of goinstr's generated or
// injected helpers: its name, after the package path, starts with goinstr.
func goinstrIsHelper(fn string) bool {
	pkg := goinstrFuncPkg(fn)
	return len(fn) > len(pkg) && goinstrHasPrefix(fn[len(pkg)+1:], "goinstr")
}

func goinstrNewEvent(op, cat string, caller, origin *runtime.Frame) *goinstrEvent {
	e := &goinstrEvent{}
	b := make([]byte, 0, 256)
	b = append(b, `,"msg":"`...)
	b = append(b, op...)
	b = append(b, `","op":"`...)
	b = append(b, op...)
	b = append(b, `","cat":"`...)
	b = append(b, cat...)
	b = append(b, `","pid":`...)
	b = strconv.AppendInt(b, int64(goinstrGetpid()), 10)
	b = append(b, `,"caller":`...)
	b = goinstrAppendFrame(b, caller)
	if origin.PC != 0 {
		b = append(b, `,"origin":`...)
		b = goinstrAppendFrame(b, origin)
	}
	e.head = b
	e.line = op + "\x00" + caller.Function + "\x00" + caller.File + "\x00" + strconv.Itoa(caller.Line)
	return e
}

// goinstrUnsafeEvent logs the first execution of an unsafe site in a
// package outside the standard library; the runtime calls it (see
// goinstr_unsafe.go there) once per site, with what the rewriter knows
// (op, site, the source text, the type converted to) and what the wrapper
// saw: typ is a nil *T for a type T (the operand's, for unsafe.Pointer;
// the result's otherwise) or nil, ptr the pointer or address, n a length.
func goinstrUnsafeEvent(op, id, file string, line, col int, expr, to string, typ any, ptr uintptr, n int, what int) {
	defer func() { recover() }()
	goinstrMu.Lock()
	failed := goinstrFailed
	goinstrMu.Unlock()
	if failed {
		return
	}
	caller, origin, _, _, _ := goinstrFrames(false)
	e := goinstrNewEvent(op, "unsafe", &caller, &origin)
	e.line += "\x00" + id
	s := make([]byte, 0, 128)
	s = append(s, `{"id":`...)
	s = goinstrAppendString(s, id, len(id))
	s = append(s, `,"file":`...)
	file = goinstrShowPath(file)
	s = goinstrAppendString(s, file, len(file))
	s = append(s, `,"line":`...)
	s = strconv.AppendInt(s, int64(line), 10)
	s = append(s, `,"col":`...)
	s = strconv.AppendInt(s, int64(col), 10)
	s = append(s, `,"expr":`...)
	s = goinstrAppendString(s, expr, goinstrMaxExpr)
	e.site = append(s, '}')
	if typ != nil {
		// typ holds a nil *T: its type's element is T.
		if t := (*abi.EmptyInterface)(unsafe.Pointer(&typ)).Type; t != nil && t.Elem() != nil {
			s := goinstrTypeString(t.Elem())
			if op == "unsafe.Pointer" {
				e.arg("from")
			} else {
				e.arg("type")
				e.target = s
			}
			e.args = goinstrAppendString(e.args, s, len(s))
		}
	}
	if to != "" {
		e.arg("to")
		e.args = goinstrAppendString(e.args, to, len(to))
		e.target = to
	}
	if what&goinstrHasPtr != 0 {
		e.argAddr("ptr", ptr)
	}
	if what&goinstrHasLen != 0 {
		e.argInt("len", int64(n))
	}
	if what&goinstrHasOff != 0 {
		e.argInt("off", int64(n))
	}
	e.emit()
}

// Bits of goinstrUnsafeEvent's what: which of ptr and n mean something.
// The wrappers generated in user packages use the same numbers.
const (
	goinstrHasPtr = 1 << iota
	goinstrHasLen
	goinstrHasOff
)

// end is deferred by the helpers: a panic while describing the event
// (a bug of ours) drops the event, never reaches the program.
func (e *goinstrEvent) end() {
	if recover() != nil {
		return
	}
	e.emit()
}

func (e *goinstrEvent) emit() {
	defer func() { recover() }()
	id := e.target + "\x00" + e.line

	goinstrMu.Lock()
	defer goinstrMu.Unlock()
	if _, dup := goinstrLines[id]; dup || goinstrFailed {
		return
	}
	if goinstrLines == nil {
		goinstrLines = make(map[string]struct{})
	}
	goinstrLines[id] = struct{}{}
	if goinstrFd < 0 && !goinstrOpen() {
		return
	}
	b := make([]byte, 0, 512)
	b = append(b, `{"time":"`...)
	b = goinstrAppendTime(b) // under the lock: times grow down the file
	b = append(b, '"')
	b = append(b, e.head...)
	if len(e.site) > 0 {
		b = append(b, `,"site":`...)
		b = append(b, e.site...)
	}
	if len(e.recv) > 0 {
		b = append(b, `,"recv":`...)
		b = append(b, e.recv...)
	}
	if len(e.args) > 0 {
		b = append(b, `,"args":{`...)
		b = append(b, e.args...)
		b = append(b, '}')
	}
	if e.target != "" {
		b = append(b, `,"target":`...)
		b = goinstrAppendString(b, e.target, goinstrMaxTarget)
	}
	b = append(b, "}\n"...)
	goinstrWriteLine(b)
}

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
	b = goinstrAppendTime(b)
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

// Describing receivers, arguments and targets. Each appends to e.recv,
// e.args or sets e.target; none calls an exported reflect function.

func (e *goinstrEvent) recvValue(v Value) { e.recv = goinstrAppendValue(e.recv, v) }

func (e *goinstrEvent) recvType(t *rtype) {
	e.recv = append(e.recv, `{"type":`...)
	s := goinstrTypeString(goinstrRtype(t))
	e.recv = goinstrAppendString(e.recv, s, len(s))
	e.recv = append(e.recv, '}')
}

func (e *goinstrEvent) arg(name string) {
	if len(e.args) > 0 {
		e.args = append(e.args, ',')
	}
	e.args = goinstrAppendString(e.args, name, len(name))
	e.args = append(e.args, ':')
}

func (e *goinstrEvent) argValue(name string, v Value) {
	e.arg(name)
	e.args = goinstrAppendValue(e.args, v)
}

func (e *goinstrEvent) argType(name string, t Type) {
	e.arg(name)
	s := goinstrTypeString(goinstrAbi(t))
	e.args = goinstrAppendString(e.args, s, len(s))
}

func (e *goinstrEvent) argString(name, s string) {
	e.arg(name)
	if goinstrRedactStrings {
		e.args = append(e.args, `{"len":`...)
		e.args = strconv.AppendInt(e.args, int64(len(s)), 10)
		e.args = append(e.args, `,"sha256":"`...)
		e.args = goinstrHashHex(e.args, nil, []byte(s))
		e.args = append(e.args, `"}`...)
		return
	}
	if len(s) <= goinstrCut {
		e.args = goinstrAppendString(e.args, s, len(s))
		return
	}
	e.args = append(e.args, `{"value":`...)
	e.args = goinstrAppendString(e.args, s, goinstrCut)
	e.args = append(e.args, `,"len":`...)
	e.args = strconv.AppendInt(e.args, int64(len(s)), 10)
	e.args = append(e.args, '}')
}

func (e *goinstrEvent) argInt(name string, x int64) {
	e.arg(name)
	e.args = strconv.AppendInt(e.args, x, 10)
}

func (e *goinstrEvent) argUint(name string, x uint64) {
	e.arg(name)
	e.args = strconv.AppendUint(e.args, x, 10)
}

func (e *goinstrEvent) argBool(name string, x bool) {
	e.arg(name)
	e.args = strconv.AppendBool(e.args, x)
}

func (e *goinstrEvent) argFloat(name string, x float64) {
	e.arg(name)
	if x != x || x > 1.7976931348623157e308 || x < -1.7976931348623157e308 {
		// NaN and infinities are not JSON numbers.
		e.args = append(e.args, '"')
		e.args = strconv.AppendFloat(e.args, x, 'g', -1, 64)
		e.args = append(e.args, '"')
		return
	}
	e.args = strconv.AppendFloat(e.args, x, 'g', -1, 64)
}

func (e *goinstrEvent) argKind(name string, k Kind) {
	e.arg(name)
	e.args = append(e.args, '"')
	e.args = append(e.args, goinstrKindName(k)...)
	e.args = append(e.args, '"')
}

func (e *goinstrEvent) argAddr(name string, p uintptr) {
	e.arg(name)
	e.args = goinstrAppendAddr(e.args, p)
}

func (e *goinstrEvent) argLen(name string, n int) {
	e.arg(name)
	e.args = append(e.args, `{"len":`...)
	e.args = strconv.AppendInt(e.args, int64(n), 10)
	e.args = append(e.args, '}')
}

// argOpaque records an argument whose value goinstr does not render
// (functions, channels, ...) by its declared type.
func (e *goinstrEvent) argOpaque(name, typ string) {
	e.arg(name)
	e.args = append(e.args, `{"type":`...)
	e.args = goinstrAppendString(e.args, typ, len(typ))
	e.args = append(e.args, '}')
}

func (e *goinstrEvent) targetType(t *abi.Type) { e.target = goinstrTypeString(t) }

func (e *goinstrEvent) targetMember(t *abi.Type, name string) {
	if t == nil {
		e.target = string([]byte(name)) // a copy: name must not escape
		return
	}
	s := goinstrTypeString(t)
	if len(s) > 0 && s[0] == '*' {
		s = "(" + s + ")"
	}
	e.target = s + "." + name
}

// targetName is targetMember for a name the program passed (MethodByName,
// FieldByName): with strings redacted, only its hash is shown.
func (e *goinstrEvent) targetName(t *abi.Type, name string) {
	if goinstrRedactStrings {
		name = "#" + string(goinstrHashHex(nil, nil, []byte(name)))
	}
	e.targetMember(t, name)
}

func (e *goinstrEvent) targetMethod(t *abi.Type, i int) {
	e.targetMember(t, goinstrMethodName(t, i))
}

// targetFunc names the function a Value holds: a method value as
// Type.Method, anything else by the symbol of its code.
func (e *goinstrEvent) targetFunc(v Value) {
	if v.flag&flagMethod != 0 {
		e.targetMethod(v.typ(), int(v.flag)>>flagMethodShift)
		return
	}
	if code, _ := goinstrFuncTarget(v); code != 0 {
		if f := runtime.FuncForPC(code); f != nil {
			e.target = f.Name()
		}
	}
}

// Keys for targets, computed on the hot path: cheap and allocation free.

// goinstrFuncKey is the tag (for op number op) and t2 of a key naming the
// function a Value of kind Func holds.
func goinstrFuncKey(op uint32, v Value) (uint64, uint64) {
	t, t2 := goinstrFuncTarget(v)
	return goinstrTag(op, t), t2
}

// goinstrFuncTarget identifies the function a Value of kind Func holds:
// its code address (and 0), or for a method value its receiver's type
// and the method's index (odd, so never 0).
func goinstrFuncTarget(v Value) (uintptr, uint64) {
	if v.flag&flagMethod != 0 {
		return uintptr(unsafe.Pointer(v.typ())), uint64(v.flag)>>flagMethodShift<<1 | 1
	}
	if v.flag.kind() != Func || v.ptr == nil {
		return 0, 0
	}
	fn := v.ptr
	if v.flag&flagIndir != 0 {
		fn = *(*unsafe.Pointer)(fn)
	}
	if fn == nil {
		return 0, 0
	}
	return *(*uintptr)(fn), 0
}

// A key's name part: its length and, for names of up to 16 bytes (nearly
// every field and method name), its bytes, read as two overlapping words:
// exact, and cheaper than hashing. A longer name is keyed by the runtime's
// string hash (AES-based where the CPU has it, seeded per process) and its
// length. The hooks take named, inline, where goinstrShortName allows, and
// the call to namedSlow otherwise; both give the same words for a name.

// goinstrUnaligned: the machine loads unaligned little-endian words, so
// *(*uint64)(p) is goinstrLoad64(p).
const goinstrUnaligned = goarch.IsAmd64|goarch.IsArm64 == 1

// goinstrShortName is whether named may key s: 4 to 16 bytes, on a
// machine with unaligned loads.
func goinstrShortName(s string) bool { return goinstrUnaligned && uint(len(s))-4 <= 12 }

// named is k with the name part of s, for s that goinstrShortName allows.
func (k goinstrKey) named(s string) goinstrKey {
	l := uint(len(s))
	p := unsafe.Pointer(unsafe.StringData(s))
	if l >= 8 {
		k.t2, k.t3 = *(*uint64)(p), *(*uint64)(unsafe.Add(p, l-8))
	} else {
		k.t2, k.t3 = uint64(*(*uint32)(p)), uint64(*(*uint32)(unsafe.Add(p, l-4)))
	}
	k.tag |= uint64(l) << 9
	return k
}

// namedSlow is k with the name part of any s.
func (k goinstrKey) namedSlow(s string) goinstrKey {
	l := len(s)
	p := unsafe.Pointer(unsafe.StringData(s))
	switch {
	case l > 16:
		k.t2, k.t3 = uint64(goinstrStrhash(s)), uint64(l)
		l = 17
	case l >= 8:
		k.t2, k.t3 = goinstrLoad64(p), goinstrLoad64(unsafe.Add(p, l-8))
	case l >= 4:
		k.t2, k.t3 = uint64(goinstrLoad32(p)), uint64(goinstrLoad32(unsafe.Add(p, l-4)))
	case l > 0:
		b := unsafe.Slice((*byte)(p), l)
		k.t2 = uint64(b[0]) | uint64(b[l>>1])<<8 | uint64(b[l-1])<<16
	}
	k.tag |= uint64(l) << 9
	return k
}

// Little-endian loads byte by byte: one load on machines that allow
// unaligned access (the compiler merges them), correct on the others.
func goinstrLoad64(p unsafe.Pointer) uint64 {
	b := (*[8]byte)(p)
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func goinstrLoad32(p unsafe.Pointer) uint32 {
	b := (*[4]byte)(p)
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func goinstrTypeKey(t *abi.Type) uintptr { return uintptr(unsafe.Pointer(t)) }

// goinstrIntKey is an index argument's part of a key (Method's i).
func goinstrIntKey[T ~int | ~int8 | ~int16 | ~int32 | ~int64](i T) uint64 { return uint64(i) }

// goinstrAbi returns the *abi.Type behind a Type (nil for nil, or for a
// Type that is no *rtype, which reflect itself would refuse) without a
// method call: escape analysis cannot see through one, and would move a
// Type the program passes to the heap.
func goinstrAbi(t Type) *abi.Type {
	if r, ok := t.(*rtype); ok && r != nil {
		return &r.t
	}
	return nil
}

func goinstrRtype(t *rtype) *abi.Type {
	if t == nil {
		return nil
	}
	return &t.t
}

// goinstrTypeString is (*rtype).String without being it.
func goinstrTypeString(t *abi.Type) string {
	if t == nil {
		return ""
	}
	s := toRType(t).nameOff(t.Str).Name()
	if t.TFlag&abi.TFlagExtraStar != 0 && len(s) > 0 {
		return s[1:]
	}
	return s
}

func goinstrKindName(k Kind) string {
	if uint(k) < uint(len(kindNames)) {
		return kindNames[k]
	}
	return "kind" + strconv.Itoa(int(k))
}

// goinstrMethodName is the name of exported method i of t, as
// Type.Method(i) would give it; "" when out of range.
func goinstrMethodName(t *abi.Type, i int) string {
	if t == nil || i < 0 {
		return ""
	}
	if Kind(t.Kind()) == Interface {
		tt := (*interfaceType)(unsafe.Pointer(t))
		if i < len(tt.Methods) {
			return tt.nameOff(tt.Methods[i].Name).Name()
		}
		return ""
	}
	ms := toRType(t).exportedMethods()
	if i < len(ms) {
		return toRType(t).nameOff(ms[i].Name).Name()
	}
	return ""
}

// JSON encoding.

// goinstrAppendValue describes a Value from its fields alone: kind, type
// and data address (ptr: the data itself for pointer-shaped values).
func goinstrAppendValue(b []byte, v Value) []byte {
	b = append(b, `{"kind":"`...)
	b = append(b, goinstrKindName(v.flag.kind())...)
	b = append(b, '"')
	if t := v.typ(); t != nil {
		s := goinstrTypeString(t)
		b = append(b, `,"type":`...)
		b = goinstrAppendString(b, s, len(s))
		b = append(b, `,"addr":`...)
		b = goinstrAppendAddr(b, uintptr(v.ptr))
	}
	return append(b, '}')
}

func goinstrAppendAddr(b []byte, p uintptr) []byte {
	if goinstrRedactAddrs && p != 0 {
		// Keyed per process: equal addresses stay equal, nothing of the
		// address itself is shown.
		var a [8]byte
		for i := range a {
			a[i] = byte(p >> (8 * i))
		}
		b = append(b, `"k:`...)
		b = goinstrHashHex(b, goinstrAddrKey[:], a[:])
		return append(b, '"')
	}
	b = append(b, `"0x`...)
	b = strconv.AppendUint(b, uint64(p), 16)
	return append(b, '"')
}

func goinstrAppendFrame(b []byte, f *runtime.Frame) []byte {
	b = append(b, `{"func":`...)
	b = goinstrAppendString(b, f.Function, len(f.Function))
	b = append(b, `,"file":`...)
	file := goinstrShowPath(f.File)
	b = goinstrAppendString(b, file, len(file))
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(f.Line), 10)
	return append(b, '}')
}

const goinstrHex = "0123456789abcdef"

// goinstrAppendString appends s, cut to at most max bytes on a rune
// boundary, as a JSON string. Invalid UTF-8 becomes U+FFFD and control
// characters are escaped, so any bytes give valid JSON.
func goinstrAppendString(b []byte, s string, max int) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if i+1 > max {
				break
			}
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', goinstrHex[c>>4], goinstrHex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if i+size > max {
			break
		}
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// goinstrAppendTime appends the wall clock as RFC 3339 UTC with
// nanoseconds (2006-01-02T15:04:05.000000000Z), without package time.
func goinstrAppendTime(b []byte) []byte {
	sec, nsec := goinstrWalltime()
	days := sec / 86400
	rem := sec % 86400
	if rem < 0 {
		rem += 86400
		days--
	}
	// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	b = goinstrAppendDigits(b, y, 4)
	b = append(b, '-')
	b = goinstrAppendDigits(b, m, 2)
	b = append(b, '-')
	b = goinstrAppendDigits(b, d, 2)
	b = append(b, 'T')
	b = goinstrAppendDigits(b, rem/3600, 2)
	b = append(b, ':')
	b = goinstrAppendDigits(b, rem/60%60, 2)
	b = append(b, ':')
	b = goinstrAppendDigits(b, rem%60, 2)
	b = append(b, '.')
	b = goinstrAppendDigits(b, int64(nsec), 9)
	return append(b, 'Z')
}

func goinstrAppendDigits(b []byte, x int64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for x > 0 || width > 0 {
		i--
		buf[i] = byte('0' + x%10)
		x /= 10
		width--
	}
	return append(b, buf[i:]...)
}

// Frames and packages.

func goinstrHasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// goinstrFuncPkg is the import path of a function symbol such as
// "encoding/json.(*decodeState).object" or "main.F[...]".
func goinstrFuncPkg(fn string) string {
	for i := 0; i < len(fn); i++ {
		if fn[i] == '[' {
			fn = fn[:i]
			break
		}
	}
	slash := 0
	for i := len(fn) - 1; i >= 0; i-- {
		if fn[i] == '/' {
			slash = i
			break
		}
	}
	for i := slash; i < len(fn); i++ {
		if fn[i] == '.' {
			return fn[:i]
		}
	}
	return fn
}

// goinstrIsStd reports whether a frame belongs to the standard library:
// its file lies in the GOROOT the program was built with or, for -trimpath builds
// (whose file names are import paths), its package path has no dot in
// its first element, as Go's own rule for standard import paths.
func goinstrIsStd(f runtime.Frame) bool {
	if goinstrRoot != "" && goinstrHasPrefix(f.File, goinstrRoot+"/src/") {
		return true
	}
	if len(f.File) > 0 && f.File[0] == '/' {
		return false
	}
	pkg := goinstrFuncPkg(f.Function)
	if pkg == "main" || pkg == "" {
		return false
	}
	for i := 0; i < len(pkg) && pkg[i] != '/'; i++ {
		if pkg[i] == '.' {
			return false
		}
	}
	return true
}

// SHA-256 (FIPS 180-4), for redaction: crypto/sha256 is out of reflect's
// reach (go/build's dependency rules), and only short inputs are hashed,
// on the slow path.

var goinstrK256 = [64]uint32{
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

func goinstrRotr(x uint32, n uint) uint32 { return x>>n | x<<(32-n) }

func goinstrSum256(msg []byte) [32]byte {
	h := [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
	n := uint64(len(msg))
	msg = append(msg[:len(msg):len(msg)], 0x80)
	for len(msg)%64 != 56 {
		msg = append(msg, 0)
	}
	for i := 7; i >= 0; i-- {
		msg = append(msg, byte(n*8>>(8*uint(i))))
	}
	var w [64]uint32
	for off := 0; off < len(msg); off += 64 {
		for i := 0; i < 16; i++ {
			p := msg[off+4*i:]
			w[i] = uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
		}
		for i := 16; i < 64; i++ {
			s0 := goinstrRotr(w[i-15], 7) ^ goinstrRotr(w[i-15], 18) ^ w[i-15]>>3
			s1 := goinstrRotr(w[i-2], 17) ^ goinstrRotr(w[i-2], 19) ^ w[i-2]>>10
			w[i] = w[i-16] + s0 + w[i-7] + s1
		}
		a, b, c, d, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
		for i := 0; i < 64; i++ {
			t1 := hh + (goinstrRotr(e, 6) ^ goinstrRotr(e, 11) ^ goinstrRotr(e, 25)) + (e&f ^ ^e&g) + goinstrK256[i] + w[i]
			t2 := (goinstrRotr(a, 2) ^ goinstrRotr(a, 13) ^ goinstrRotr(a, 22)) + (a&b ^ a&c ^ b&c)
			hh, g, f, e, d, c, b, a = g, f, e, d+t1, c, b, a, t1+t2
		}
		h[0] += a
		h[1] += b
		h[2] += c
		h[3] += d
		h[4] += e
		h[5] += f
		h[6] += g
		h[7] += hh
	}
	var out [32]byte
	for i, v := range h {
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	return out
}
