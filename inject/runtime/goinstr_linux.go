// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux

// This file is added to package runtime by goinstr (in the build overlay
// only). It pushes a few runtime primitives into package reflect with
// //go:linkname, the way the runtime already serves reflect.typedmemmove
// and friends. The logger in reflect needs file I/O, the environment and
// the clock, but reflect may not import os or syscall (go/build's
// dependency rules: "reflect !< OS"); the runtime has all of them already
// and pulls in nothing new.

package runtime

import (
	"internal/goarch"
	"internal/runtime/syscall/linux"
	"unsafe"
)

// Linux open(2) flags that the runtime does not define. O_APPEND and
// O_NOFOLLOW differ between architecture families.
const (
	goinstrOAppend   = 0x400 - (0x400-0x8)*(goarch.IsMips+goarch.IsMipsle+goarch.IsMips64+goarch.IsMips64le)
	goinstrONoFollow = 0x20000 - (0x20000-0x8000)*(goarch.IsArm+goarch.IsArm64+goarch.IsPpc64+goarch.IsPpc64le)
)

//go:linkname reflect_goinstrOpenLog reflect.goinstrOpenLog
func reflect_goinstrOpenLog(path *byte) int32 {
	fd := open(path, _O_WRONLY|goinstrOAppend|_O_CREAT|goinstrONoFollow|_O_CLOEXEC, 0o600)
	if fd < 0 {
		return -1
	}
	return fd
}

// reflect_goinstrCheckLog vets a log file just opened: it must be a
// regular file owned by this user (else it is not written: false); if its
// permissions are broader than 0600 they are tightened to 0600.
//
//go:linkname reflect_goinstrCheckLog reflect.goinstrCheckLog
func reflect_goinstrCheckLog(fd int32) bool {
	if goinstrSysFstat < 0 {
		return true
	}
	var st [256]byte // struct stat is 144 bytes on amd64, 128 on arm64
	if _, _, e := linux.Syscall6(goinstrSysFstat, uintptr(fd), uintptr(unsafe.Pointer(&st[0])), 0, 0, 0, 0); e != 0 {
		return false
	}
	mode := *(*uint32)(unsafe.Pointer(&st[goinstrStatMode]))
	uid := *(*uint32)(unsafe.Pointer(&st[goinstrStatUID]))
	euid, _, _ := linux.Syscall6(goinstrSysGeteuid, 0, 0, 0, 0, 0, 0)
	if mode&0o170000 != 0o100000 || uid != uint32(euid) {
		return false
	}
	if mode&0o177 != 0 {
		if _, _, e := linux.Syscall6(goinstrSysFchmod, uintptr(fd), 0o600, 0, 0, 0, 0); e != 0 {
			return false
		}
	}
	return true
}

// File identity and size for log rotation (goinstr_log.go in reflect).

func goinstrStatOf(st *[256]byte) (dev, ino uint64, size int64) {
	return *(*uint64)(unsafe.Pointer(&st[goinstrStatDev])), *(*uint64)(unsafe.Pointer(&st[goinstrStatIno])),
		*(*int64)(unsafe.Pointer(&st[goinstrStatSize]))
}

//go:linkname reflect_goinstrFdStat reflect.goinstrFdStat
func reflect_goinstrFdStat(fd int32) (dev, ino uint64, size int64, ok bool) {
	var st [256]byte
	if goinstrSysFstat < 0 {
		return 0, 0, 0, false
	}
	if _, _, e := linux.Syscall6(goinstrSysFstat, uintptr(fd), uintptr(unsafe.Pointer(&st[0])), 0, 0, 0, 0); e != 0 {
		return 0, 0, 0, false
	}
	dev, ino, size = goinstrStatOf(&st)
	return dev, ino, size, true
}

// reflect_goinstrPathStat stats path itself (a symlink is not followed).
//
//go:linkname reflect_goinstrPathStat reflect.goinstrPathStat
func reflect_goinstrPathStat(path *byte) (dev, ino uint64, ok bool) {
	var st [256]byte
	const atFDCWD, atSymlinkNoFollow = -100, 0x100
	if goinstrSysFstatat < 0 {
		return 0, 0, false
	}
	if _, _, e := linux.Syscall6(goinstrSysFstatat, uintptr(atFDCWD&(1<<(8*goarch.PtrSize)-1)), uintptr(unsafe.Pointer(path)),
		uintptr(unsafe.Pointer(&st[0])), atSymlinkNoFollow, 0, 0); e != 0 {
		return 0, 0, false
	}
	dev, ino, _ = goinstrStatOf(&st)
	return dev, ino, true
}

// reflect_goinstrFlock takes (how=2, LOCK_EX) or drops (how=8, LOCK_UN)
// the advisory lock several processes sharing one log rotate under.
//
//go:linkname reflect_goinstrFlock reflect.goinstrFlock
func reflect_goinstrFlock(fd int32, how int32) bool {
	if goinstrSysFlock < 0 {
		return false
	}
	for {
		_, _, e := linux.Syscall6(goinstrSysFlock, uintptr(fd), uintptr(how), 0, 0, 0, 0)
		if e != _EINTR {
			return e == 0
		}
	}
}

//go:linkname reflect_goinstrRename reflect.goinstrRename
func reflect_goinstrRename(from, to *byte) bool {
	const atFDCWD = -100
	if goinstrSysRenameat2 < 0 {
		return false
	}
	cwd := uintptr(atFDCWD & (1<<(8*goarch.PtrSize) - 1))
	_, _, e := linux.Syscall6(goinstrSysRenameat2, cwd, uintptr(unsafe.Pointer(from)), cwd, uintptr(unsafe.Pointer(to)), 0, 0)
	return e == 0
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

// reflect_goinstrGOROOT is the GOROOT the program was built with (set by
// the linker; empty for -trimpath builds), to tell standard-library frames.
//
//go:linkname reflect_goinstrGOROOT reflect.goinstrGOROOT
func reflect_goinstrGOROOT() string {
	return defaultGOROOT
}
