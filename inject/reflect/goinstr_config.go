// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// The logger's settings: what INSTRUMENTATION_REDACT, _MAX_STRING,
// _LOG_MAX_BYTES and _LOG_KEEP select, read once at initialization
// (goinstrConfigure), and the fixed limits. Kept apart so that the rules
// for reading them are tested as Go code.
//
// Pure: uses nothing of package reflect (see goinstr_log.go).

package reflect

import "strconv"

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

// String arguments are cut at goinstrMaxString bytes, targets (which may
// hold a name passed by the program) at goinstrMaxTarget.
const (
	goinstrMaxString = 64
	goinstrMaxTarget = 4 * goinstrMaxString
	goinstrMaxExpr   = 120 // source text of unsafe sites
)
