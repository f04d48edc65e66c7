// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux && amd64

// Added to package runtime by goinstr: system call numbers and the
// layout of struct stat the log checks need (see goinstr_linux.go).

package runtime

const (
	goinstrSysFstat     = 5
	goinstrSysFchmod    = 91
	goinstrSysGeteuid   = 107
	goinstrStatMode     = 24 // offsetof(struct stat, st_mode)
	goinstrStatUID      = 28 // offsetof(struct stat, st_uid)
	goinstrSysFlock     = 73
	goinstrSysFstatat   = 262
	goinstrSysRenameat2 = 316
	goinstrStatDev      = 0  // offsetof(struct stat, st_dev)
	goinstrStatIno      = 8  // offsetof(struct stat, st_ino)
	goinstrStatSize     = 48 // offsetof(struct stat, st_size)
)
