// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux && !amd64 && !arm64

// Added to package runtime by goinstr. The other ports' system call
// numbers are not filled in yet: building for them fails.

package runtime

const (
	goinstrSysFstat      = -1
	goinstrSysFstatat    = -1
	goinstrSysFchmod     = -1
	goinstrSysGeteuid    = -1
	goinstrSysFlock      = -1
	goinstrSysRenameat   = -1
	goinstrSysFcntl      = -1
	goinstrSysFtruncate  = -1
	goinstrSysGetcwd     = -1
	goinstrSysReadlinkat = -1

	goinstrStatDev       = 0
	goinstrStatDevSize   = 8
	goinstrStatIno       = 8
	goinstrStatNlink     = 16
	goinstrStatNlinkSize = 8
	goinstrStatMode      = 24
	goinstrStatUID       = 28
	goinstrStatSize      = 48
)
