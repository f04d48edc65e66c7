// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux && arm64

// Added to package runtime by goinstr: system call numbers and the
// layout of struct stat the log checks need (see goinstr_linux.go), from
// $GOROOT/src/syscall/zsysnum_linux_arm64.go and ztypes_linux_arm64.go.

package runtime

const (
	goinstrSysFstat      = 80  // SYS_FSTAT
	goinstrSysFstatat    = 79  // SYS_FSTATAT
	goinstrSysFchmod     = 52  // SYS_FCHMOD
	goinstrSysGeteuid    = 175 // SYS_GETEUID
	goinstrSysFlock      = 32  // SYS_FLOCK
	goinstrSysRenameat   = 38  // SYS_RENAMEAT
	goinstrSysFcntl      = 25  // SYS_FCNTL
	goinstrSysFtruncate  = 46  // SYS_FTRUNCATE
	goinstrSysGetcwd     = 17  // SYS_GETCWD
	goinstrSysReadlinkat = 78  // SYS_READLINKAT

	// Offsets in Stat_t, and sizes where they vary.
	goinstrStatDev       = 0
	goinstrStatDevSize   = 8
	goinstrStatIno       = 8
	goinstrStatNlink     = 20
	goinstrStatNlinkSize = 4
	goinstrStatMode      = 16
	goinstrStatUID       = 24
	goinstrStatSize      = 48
)
