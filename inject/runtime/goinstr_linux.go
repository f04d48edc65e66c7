// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux

// This file is added to package runtime by goinstr (in the build overlay
// only). It pushes a few runtime primitives into package reflect with
// //go:linkname, the way the runtime already serves reflect.typedmemmove
// and friends. The logger in reflect needs file I/O, the environment and
// the clock, but reflect may not import os or syscall (go/build's
// dependency rules: "reflect !< OS"); the runtime has all of them already
// and pulls in nothing new. System call numbers and struct stat's layout
// are per architecture, in goinstr_sys_*.go.

package runtime

import (
	"internal/goarch"
	"internal/runtime/syscall/linux"
	"unsafe"
)

// Linux open(2) flags and fcntl(2) commands that the runtime does not
// define. O_APPEND, O_NOCTTY and O_NOFOLLOW differ between architecture
// families (include/uapi/asm-generic/fcntl.h and the arch overrides).
const (
	goinstrMips              = goarch.IsMips + goarch.IsMipsle + goarch.IsMips64 + goarch.IsMips64le
	goinstrOAppend           = 0x400 - (0x400-0x8)*goinstrMips
	goinstrONoctty           = 0x100 + (0x800-0x100)*goinstrMips
	goinstrONoFollow         = 0x20000 - (0x20000-0x8000)*(goarch.IsArm+goarch.IsArm64+goarch.IsPpc64+goarch.IsPpc64le)
	goinstrFDupfdCloexec     = 1030
	goinstrAtSymlinkNoFollow = 0x100
	goinstrAtEmptyPath       = 0x1000
	goinstrStatxBasicStats   = 0x7ff
)

// reflect_goinstrOpenLog opens the log for appending, creating it 0600.
// Never blocking: a FIFO at the path (without a reader, open fails; with
// one, the file is refused by goinstrCheckLog) cannot hang the program.
// Never on fd 0, 1 or 2: if the program closed one of them, the log moves
// to a higher descriptor, so that the program's own writes to its
// standard streams (and a panic trace) never land in the log.
//
//go:linkname reflect_goinstrOpenLog reflect.goinstrOpenLog
func reflect_goinstrOpenLog(path *byte) int32 {
	fd := open(path, _O_WRONLY|goinstrOAppend|_O_CREAT|goinstrONoFollow|_O_CLOEXEC|_O_NONBLOCK|goinstrONoctty, 0o600)
	if fd < 0 {
		return -1
	}
	if fd <= 2 {
		high, _, e := linux.Syscall6(goinstrSysFcntl, uintptr(fd), goinstrFDupfdCloexec, 3, 0, 0, 0)
		closefd(fd)
		if e != 0 {
			return -1
		}
		fd = int32(high)
	}
	return fd
}

// goinstrStat is a struct stat (stat64, statx: goinstr_sys_*.go) as the
// kernel fills it; statx's, the largest, is 256 bytes.
type goinstrStat [256]byte

// goinstrFstat fills st for fd (statx with AT_EMPTY_PATH where the
// port has no fstat).
func goinstrFstat(fd int32, st *goinstrStat) bool {
	var e uintptr
	if goinstrStatx {
		empty := [1]byte{}
		_, _, e = linux.Syscall6(goinstrSysFstat, uintptr(fd), uintptr(unsafe.Pointer(&empty[0])),
			goinstrAtEmptyPath, goinstrStatxBasicStats, uintptr(unsafe.Pointer(&st[0])), 0)
	} else {
		_, _, e = linux.Syscall6(goinstrSysFstat, uintptr(fd), uintptr(unsafe.Pointer(&st[0])), 0, 0, 0, 0)
	}
	return e == 0
}

// goinstrLstat fills st for path itself (a symlink is not followed).
func goinstrLstat(path *byte, st *goinstrStat) bool {
	var e uintptr
	if goinstrStatx {
		_, _, e = linux.Syscall6(goinstrSysFstatat, goinstrCwd(), uintptr(unsafe.Pointer(path)),
			goinstrAtSymlinkNoFollow, goinstrStatxBasicStats, uintptr(unsafe.Pointer(&st[0])), 0)
	} else {
		_, _, e = linux.Syscall6(goinstrSysFstatat, goinstrCwd(), uintptr(unsafe.Pointer(path)),
			uintptr(unsafe.Pointer(&st[0])), goinstrAtSymlinkNoFollow, 0, 0)
	}
	return e == 0
}

// field reads the field of n bytes (2, 4 or 8) at offset off, in the
// machine's byte order.
func (st *goinstrStat) field(off, n uintptr) uint64 {
	switch n {
	case 2:
		return uint64(*(*uint16)(unsafe.Pointer(&st[off])))
	case 4:
		return uint64(*(*uint32)(unsafe.Pointer(&st[off])))
	}
	return *(*uint64)(unsafe.Pointer(&st[off]))
}

// reflect_goinstrCheckLog vets a log file just opened: it must be a
// regular file owned by this user with one link (a hard link at the path
// would make the program append to, and chmod, whatever file it links
// to), else it is not written: false. If its permissions are broader than
// 0600 they are tightened to 0600.
//
//go:linkname reflect_goinstrCheckLog reflect.goinstrCheckLog
func reflect_goinstrCheckLog(fd int32) bool {
	var st goinstrStat
	if !goinstrFstat(fd, &st) {
		return false
	}
	mode := st.field(goinstrStatMode, goinstrStatModeSize)
	uid := st.field(goinstrStatUID, goinstrStatUIDSize)
	nlink := st.field(goinstrStatNlink, goinstrStatNlinkSize)
	euid, _, _ := linux.Syscall6(goinstrSysGeteuid, 0, 0, 0, 0, 0, 0)
	if mode&0o170000 != 0o100000 || uid != uint64(uint32(euid)) || nlink != 1 {
		return false
	}
	if mode&0o177 != 0 {
		if _, _, e := linux.Syscall6(goinstrSysFchmod, uintptr(fd), 0o600, 0, 0, 0, 0); e != 0 {
			return false
		}
	}
	return true
}

// File identity and size for log rotation (goinstr_file.go in reflect).

func (st *goinstrStat) id() (dev, ino uint64, size int64) {
	return st.field(goinstrStatDev, goinstrStatDevSize), st.field(goinstrStatIno, goinstrStatInoSize),
		int64(st.field(goinstrStatSize, goinstrStatSizeSize))
}

//go:linkname reflect_goinstrFdStat reflect.goinstrFdStat
func reflect_goinstrFdStat(fd int32) (dev, ino uint64, size int64, ok bool) {
	var st goinstrStat
	if !goinstrFstat(fd, &st) {
		return 0, 0, 0, false
	}
	dev, ino, size = st.id()
	return dev, ino, size, true
}

// reflect_goinstrPathStat stats path itself (a symlink is not followed).
//
//go:linkname reflect_goinstrPathStat reflect.goinstrPathStat
func reflect_goinstrPathStat(path *byte) (dev, ino uint64, ok bool) {
	var st goinstrStat
	if !goinstrLstat(path, &st) {
		return 0, 0, false
	}
	dev, ino, _ = st.id()
	return dev, ino, true
}

// goinstrCwd is AT_FDCWD as a system call argument.
func goinstrCwd() uintptr {
	dfd := linux.AT_FDCWD
	return uintptr(dfd)
}

// reflect_goinstrFlock takes (how=2, LOCK_EX) or drops (how=8, LOCK_UN)
// the advisory lock processes sharing one log write under.
//
//go:linkname reflect_goinstrFlock reflect.goinstrFlock
func reflect_goinstrFlock(fd int32, how int32) bool {
	for {
		_, _, e := linux.Syscall6(goinstrSysFlock, uintptr(fd), uintptr(how), 0, 0, 0, 0)
		if e != _EINTR {
			return e == 0
		}
	}
}

// reflect_goinstrFtruncate cuts the log back to size bytes (a write cut
// short is taken back). ftruncate's length is a long, so on 32-bit ports
// only sizes below 2 GiB are cut.
//
//go:linkname reflect_goinstrFtruncate reflect.goinstrFtruncate
func reflect_goinstrFtruncate(fd int32, size int64) bool {
	if size < 0 || uint64(size) > 1<<(8*goarch.PtrSize-1)-1 {
		return false
	}
	_, _, e := linux.Syscall6(goinstrSysFtruncate, uintptr(fd), uintptr(size), 0, 0, 0, 0)
	return e == 0
}

// reflect_goinstrGetcwd is the working directory, "" if unknown.
//
//go:linkname reflect_goinstrGetcwd reflect.goinstrGetcwd
func reflect_goinstrGetcwd() string {
	var buf [4096]byte
	n, _, e := linux.Syscall6(goinstrSysGetcwd, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0, 0, 0)
	if e != 0 || n < 2 || n > uintptr(len(buf)) {
		return ""
	}
	return string(buf[:n-1]) // n counts the terminating NUL
}

// reflect_goinstrExecutable is what /proc/self/exe links to, "" if
// unknown.
//
//go:linkname reflect_goinstrExecutable reflect.goinstrExecutable
func reflect_goinstrExecutable() string {
	var buf [4096]byte
	path := [...]byte{'/', 'p', 'r', 'o', 'c', '/', 's', 'e', 'l', 'f', '/', 'e', 'x', 'e', 0}
	n, _, e := linux.Syscall6(goinstrSysReadlinkat, goinstrCwd(), uintptr(unsafe.Pointer(&path[0])),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0)
	if e != 0 || n == 0 || n >= uintptr(len(buf)) {
		return ""
	}
	return string(buf[:n])
}

// reflect_goinstrModinfo is the build information the linker leaves for
// runtime/debug.ReadBuildInfo (its modules, for the log's header).
//
//go:linkname reflect_goinstrModinfo reflect.goinstrModinfo
func reflect_goinstrModinfo() string {
	return modinfo
}

//go:linkname reflect_goinstrRename reflect.goinstrRename
func reflect_goinstrRename(from, to *byte) bool {
	cwd := goinstrCwd()
	_, _, e := linux.Syscall6(goinstrSysRenameat, cwd, uintptr(unsafe.Pointer(from)), cwd, uintptr(unsafe.Pointer(to)), 0, 0)
	return e == 0
}

// reflect_goinstrStaticType is whether t lies in the binary's type data
// (else reflect made it at run time: StructOf, MapOf, ...).
//
//go:linkname reflect_goinstrStaticType reflect.goinstrStaticType
func reflect_goinstrStaticType(t unsafe.Pointer) bool {
	p := uintptr(t)
	for _, md := range activeModules() {
		if md.types <= p && p < md.etypes {
			return true
		}
	}
	return false
}

//go:linkname reflect_goinstrRand reflect.goinstrRand
func reflect_goinstrRand() uint64 {
	return rand()
}

//go:linkname reflect_goinstrWrite reflect.goinstrWrite
func reflect_goinstrWrite(fd int32, p unsafe.Pointer, n int32) int32 {
	return write1(uintptr(fd), p, n)
}

//go:linkname reflect_goinstrClose reflect.goinstrClose
func reflect_goinstrClose(fd int32) {
	closefd(fd)
}

//go:linkname reflect_goinstrGetenv reflect.goinstrGetenv
func reflect_goinstrGetenv(key string) string {
	return gogetenv(key)
}

//go:linkname reflect_goinstrWalltime reflect.goinstrWalltime
func reflect_goinstrWalltime() (sec int64, nsec int32) {
	sec, nsec, _ = time_now() // the wall clock behind time.Now
	return sec, nsec
}

//go:linkname reflect_goinstrGetpid reflect.goinstrGetpid
func reflect_goinstrGetpid() int {
	return getpid()
}

//go:linkname reflect_goinstrArg0 reflect.goinstrArg0
func reflect_goinstrArg0() string {
	if len(argslice) == 0 {
		return ""
	}
	return argslice[0]
}

//go:linkname reflect_goinstrStrhash reflect.goinstrStrhash
func reflect_goinstrStrhash(s string) uintptr {
	return strhash(noescape(unsafe.Pointer(&s)), 0)
}

//go:linkname reflect_goinstrStrhashSeed reflect.goinstrStrhashSeed
func reflect_goinstrStrhashSeed(s string, seed uintptr) uintptr {
	return strhash(noescape(unsafe.Pointer(&s)), seed)
}

// reflect_goinstrGOROOT is the GOROOT the program was built with (set by
// the linker; empty for -trimpath builds), to tell standard-library frames.
//
//go:linkname reflect_goinstrGOROOT reflect.goinstrGOROOT
func reflect_goinstrGOROOT() string {
	return defaultGOROOT
}
