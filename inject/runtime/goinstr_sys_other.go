// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

//go:build linux && !amd64 && !arm64

// Added to package runtime by goinstr. On these architectures the log's
// owner and mode checks are not implemented (goinstrSysFstat < 0): the
// log is still created 0600 with O_NOFOLLOW.

package runtime

const (
	goinstrSysFstat     = -1
	goinstrSysFchmod    = -1
	goinstrSysGeteuid   = -1
	goinstrStatMode     = 0
	goinstrStatUID      = 0
	goinstrSysFlock     = -1
	goinstrSysFstatat   = -1
	goinstrSysRenameat2 = -1
	goinstrStatDev      = 0  // offsetof(struct stat, st_dev)
	goinstrStatIno      = 8  // offsetof(struct stat, st_ino)
	goinstrStatSize     = 48 // offsetof(struct stat, st_size)
)
