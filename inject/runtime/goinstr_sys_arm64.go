// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux && arm64

// Added to package runtime by goinstr: system call numbers and the
// layout of struct stat the log checks need (see goinstr_linux.go).

package runtime

const (
	goinstrSysFstat     = 80
	goinstrSysFchmod    = 52
	goinstrSysGeteuid   = 175
	goinstrStatMode     = 16 // offsetof(struct stat, st_mode)
	goinstrStatUID      = 24 // offsetof(struct stat, st_uid)
	goinstrSysFlock     = 32
	goinstrSysFstatat   = 79
	goinstrSysRenameat2 = 276
	goinstrStatDev      = 0  // offsetof(struct stat, st_dev)
	goinstrStatIno      = 8  // offsetof(struct stat, st_ino)
	goinstrStatSize     = 48 // offsetof(struct stat, st_size)
)
