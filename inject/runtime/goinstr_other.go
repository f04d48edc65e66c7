// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build !linux

// This file is added to package runtime by goinstr. Logging is implemented
// for Linux only; elsewhere the environment reads as empty, so the logger
// in reflect stays off and instrumented programs behave as plain ones.

package runtime

import "unsafe"

//go:linkname reflect_goinstrOpenLog reflect.goinstrOpenLog
func reflect_goinstrOpenLog(path *byte) int32 { return -1 }

//go:linkname reflect_goinstrWrite reflect.goinstrWrite
func reflect_goinstrWrite(fd int32, p unsafe.Pointer, n int32) int32 { return -1 }

//go:linkname reflect_goinstrClose reflect.goinstrClose
func reflect_goinstrClose(fd int32) {}

//go:linkname reflect_goinstrGetenv reflect.goinstrGetenv
func reflect_goinstrGetenv(key string) string { return "" }

//go:linkname reflect_goinstrWalltime reflect.goinstrWalltime
func reflect_goinstrWalltime() (sec int64, nsec int32) { return 0, 0 }

//go:linkname reflect_goinstrGetpid reflect.goinstrGetpid
func reflect_goinstrGetpid() int { return 0 }

//go:linkname reflect_goinstrArg0 reflect.goinstrArg0
func reflect_goinstrArg0() string { return "" }

//go:linkname reflect_goinstrStrhash reflect.goinstrStrhash
func reflect_goinstrStrhash(s string) uintptr {
	return strhash(noescape(unsafe.Pointer(&s)), 0)
}

//go:linkname reflect_goinstrCheckLog reflect.goinstrCheckLog
func reflect_goinstrCheckLog(fd int32) bool { return false }

//go:linkname reflect_goinstrRand reflect.goinstrRand
func reflect_goinstrRand() uint64 { return 0 }

//go:linkname reflect_goinstrFdStat reflect.goinstrFdStat
func reflect_goinstrFdStat(fd int32) (dev, ino uint64, size int64, ok bool) { return }

//go:linkname reflect_goinstrPathStat reflect.goinstrPathStat
func reflect_goinstrPathStat(path *byte) (dev, ino uint64, ok bool) { return }

//go:linkname reflect_goinstrFlock reflect.goinstrFlock
func reflect_goinstrFlock(fd int32, how int32) bool { return false }

//go:linkname reflect_goinstrFtruncate reflect.goinstrFtruncate
func reflect_goinstrFtruncate(fd int32, size int64) bool { return false }

//go:linkname reflect_goinstrGetcwd reflect.goinstrGetcwd
func reflect_goinstrGetcwd() string { return "" }

//go:linkname reflect_goinstrStaticType reflect.goinstrStaticType
func reflect_goinstrStaticType(t unsafe.Pointer) bool { return true }

//go:linkname reflect_goinstrStrhashSeed reflect.goinstrStrhashSeed
func reflect_goinstrStrhashSeed(s string, seed uintptr) uintptr {
	return strhash(noescape(unsafe.Pointer(&s)), seed)
}

//go:linkname reflect_goinstrExecutable reflect.goinstrExecutable
func reflect_goinstrExecutable() string { return "" }

//go:linkname reflect_goinstrModinfo reflect.goinstrModinfo
func reflect_goinstrModinfo() string { return modinfo }

//go:linkname reflect_goinstrRename reflect.goinstrRename
func reflect_goinstrRename(from, to *byte) bool { return false }

// reflect_goinstrGOROOT is the GOROOT the program was built with (set by
// the linker; empty for -trimpath builds), to tell standard-library frames.
//
//go:linkname reflect_goinstrGOROOT reflect.goinstrGOROOT
func reflect_goinstrGOROOT() string {
	return defaultGOROOT
}
