// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux && amd64

// Added to package runtime by goinstr: system call numbers and the
// layout of struct stat the log checks need (see goinstr_linux.go), from
// $GOROOT/src/syscall/zsysnum_linux_amd64.go and ztypes_linux_amd64.go.

package runtime

const (
	goinstrSysFstat      = 5   // SYS_FSTAT
	goinstrSysFstatat    = 262 // SYS_NEWFSTATAT
	goinstrSysFchmod     = 91  // SYS_FCHMOD
	goinstrSysGeteuid    = 107 // SYS_GETEUID
	goinstrSysFlock      = 73  // SYS_FLOCK
	goinstrSysRenameat   = 264 // SYS_RENAMEAT
	goinstrSysFcntl      = 72  // SYS_FCNTL
	goinstrSysFtruncate  = 77  // SYS_FTRUNCATE
	goinstrSysGetcwd     = 79  // SYS_GETCWD
	goinstrSysReadlinkat = 267 // SYS_READLINKAT

	// Offsets in Stat_t, and sizes where they vary.
	goinstrStatDev       = 0
	goinstrStatDevSize   = 8
	goinstrStatIno       = 8
	goinstrStatNlink     = 16
	goinstrStatNlinkSize = 8
	goinstrStatMode      = 24
	goinstrStatUID       = 28
	goinstrStatSize      = 48
)
