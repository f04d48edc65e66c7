// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// The logger's settings: what INSTRUMENTATION_REDACT, _MAX_STRING,
// _LOG_MAX_BYTES and _LOG_KEEP select, read once at initialization
// (goinstrConfigure), and the fixed limits. Kept apart so that the rules
// for reading them are tested as Go code.
//
// Pure: uses nothing of package reflect (see goinstr_log.go).

package reflect

import "strconv"

// What the INSTRUMENTATION_* variables select; set once, at
// initialization. Malformed numbers fall back to the defaults; an unknown
// word in INSTRUMENTATION_REDACT turns every redaction on (fail closed)
// and is recorded in the header.
var (
	goinstrRedactStrings bool   // program strings: length and SHA-256 prefix
	goinstrRedactPaths   bool   // $HOME/... file names: ~/...
	goinstrRedactAddrs   bool   // addresses: keyed per process
	goinstrRedacted      string // what is redacted, for the header
	goinstrRedactUnknown string // INSTRUMENTATION_REDACT's unknown words, for the header
	goinstrHome          string
	goinstrAddrKey       [32]byte
	goinstrCut           = goinstrMaxString
	goinstrRoot          string // the build's GOROOT, "" for -trimpath builds
	goinstrMaxBytes      int64  // INSTRUMENTATION_LOG_MAX_BYTES: rotate past this size (0: never)
	goinstrKeep          = 3    // INSTRUMENTATION_LOG_KEEP: rotated files kept, PATH.1 ... PATH.N
	goinstrMaxEvents     = 100000
	goinstrExe           string // the executable, an absolute path if known
	goinstrArgv0         string // argv[0] as given
)

// Limits. Strings a program supplies (string arguments, looked-up names,
// type strings of types made at run time, whose struct field names and
// tags are the program's) are cut at goinstrCut bytes; strings of the
// binary (function and file names, its own types) at goinstrMaxStatic.
// No line is longer than goinstrMaxLine: one that would be is written
// without its receiver and arguments, its strings cut shorter
// (goinstrEvent.render). At most goinstrMaxEvents distinct events are
// logged per process (INSTRUMENTATION_LOG_MAX_EVENTS); the memory that
// deduplication keeps is bounded in proportion (goinstr_event.go).
const (
	goinstrMaxString    = 64   // INSTRUMENTATION_MAX_STRING's default
	goinstrMaxStringCap = 4096 // and its largest value
	goinstrMaxStatic    = 1024
	goinstrMaxExpr      = 120 // source text of unsafe sites
	goinstrMaxLine      = 16 << 10
	goinstrMaxEventsCap = 1 << 24 // INSTRUMENTATION_LOG_MAX_EVENTS's largest value
)

// goinstrRedactWords are INSTRUMENTATION_REDACT's words, in header order.
var goinstrRedactWords = [...]struct {
	name string
	on   *bool
}{{"strings", &goinstrRedactStrings}, {"paths", &goinstrRedactPaths}, {"addresses", &goinstrRedactAddrs}}

func goinstrConfigure() {
	goinstrRekey()
	goinstrRoot = goinstrGOROOT()
	goinstrArgv0 = goinstrArg0()
	goinstrExe = goinstrExePath(goinstrExecutable(), goinstrArgv0, goinstrGetcwd())
	goinstrParseRedact(goinstrGetenv("INSTRUMENTATION_REDACT"))
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
	if n, ok := goinstrEnvInt("INSTRUMENTATION_LOG_MAX_BYTES", 1, 1<<62); ok {
		goinstrMaxBytes = n
	}
	if n, ok := goinstrEnvInt("INSTRUMENTATION_LOG_KEEP", 1, 1000); ok {
		goinstrKeep = int(n)
	}
	if n, ok := goinstrEnvInt("INSTRUMENTATION_MAX_STRING", 1, 1<<16); ok {
		goinstrCut = int(min(n, goinstrMaxStringCap))
	}
	if n, ok := goinstrEnvInt("INSTRUMENTATION_LOG_MAX_EVENTS", 1, goinstrMaxEventsCap); ok {
		goinstrMaxEvents = int(n)
	}
}

// goinstrExePath is the executable's absolute path: link, what
// /proc/self/exe links to, else argv0 resolved against cwd, the working
// directory at start (else argv0 as given: a bare name found in $PATH).
func goinstrExePath(link, argv0, cwd string) string {
	if len(link) > 0 && link[0] == '/' {
		return link
	}
	if len(argv0) > 0 && argv0[0] == '/' {
		return argv0
	}
	slash := false
	for i := 0; i < len(argv0); i++ {
		slash = slash || argv0[i] == '/'
	}
	if !slash || len(cwd) == 0 || cwd[0] != '/' {
		return argv0
	}
	for len(argv0) > 2 && argv0[:2] == "./" {
		argv0 = argv0[2:]
	}
	if cwd != "/" {
		cwd += "/"
	}
	return cwd + argv0
}

// goinstrEnvInt is the decimal value of the variable key if it is set and
// within [lo, hi].
func goinstrEnvInt(key string, lo, hi int64) (int64, bool) {
	n, err := strconv.ParseInt(goinstrGetenv(key), 10, 64)
	return n, err == nil && n >= lo && n <= hi
}

// goinstrParseRedact reads INSTRUMENTATION_REDACT: a comma list of
// strings, paths and addresses (empty words are ignored). Any other word
// (a misspelling, another case, a space) turns every redaction on: a
// setting meant to hide something never silently hides nothing.
func goinstrParseRedact(r string) {
	for len(r) > 0 {
		var w string
		w, r = goinstrCutByte(r, ',')
		if w == "" {
			continue
		}
		known := false
		for _, k := range goinstrRedactWords {
			if w == k.name {
				*k.on, known = true, true
			}
		}
		if !known {
			if goinstrRedactUnknown != "" {
				goinstrRedactUnknown += ","
			}
			goinstrRedactUnknown += w
		}
	}
	goinstrRedacted = ""
	for _, k := range goinstrRedactWords {
		if goinstrRedactUnknown != "" {
			*k.on = true
		}
		if *k.on {
			if goinstrRedacted != "" {
				goinstrRedacted += ","
			}
			goinstrRedacted += k.name
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

// goinstrShowString is a string the program supplied as logged in a
// target or type string: with strings redacted, # and its hash; else cut
// at goinstrCut bytes (goinstrCutString).
func goinstrShowString(s string) string {
	if goinstrRedactStrings {
		return "#" + string(goinstrHashHex(nil, nil, []byte(s)))
	}
	return goinstrCutString(s, goinstrCut)
}

// goinstrCutString is s if it has at most max bytes, else its longest
// prefix of whole UTF-8 sequences within max bytes followed by "…".
func goinstrCutString(s string, max int) string {
	if len(s) <= max {
		return s
	}
	// If s[max] continues a UTF-8 sequence, cut before its lead byte
	// (at most three bytes back); bytes that are no UTF-8 are cut at max
	// (goinstrAppendString shows them as U+FFFD).
	n := max
	for n > 0 && max-n < 3 && s[n]&0xc0 == 0x80 {
		n--
	}
	if s[n] < 0xc0 {
		n = max
	}
	return s[:n] + "…"
}
