// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// Tests of the logger's pure files (inject/reflect/goinstr_*.go marked
// "Pure:"), which tests/logger.sh copies here unchanged but for their
// package clause: SHA-256 against crypto/sha256, JSON strings against
// encoding/json, times against package time, the dedup keys and table,
// frames and the INSTRUMENTATION_* settings.

package goinstrtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSum256(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var inputs [][]byte
	for n := 0; n <= 1100; n++ { // every padding case, several blocks
		b := make([]byte, n)
		r.Read(b)
		inputs = append(inputs, b)
	}
	for i := 0; i < 200; i++ {
		b := make([]byte, r.Intn(70000))
		r.Read(b)
		inputs = append(inputs, b)
	}
	inputs = append(inputs, []byte("abc"), bytes.Repeat([]byte{0xff}, 64), bytes.Repeat([]byte{0}, 55))
	for _, b := range inputs {
		keep := append([]byte(nil), b...)
		if got, want := goinstrSum256(b), sha256.Sum256(b); got != want {
			t.Fatalf("goinstrSum256 of %d bytes = %x, want %x", len(b), got, want)
		}
		if !bytes.Equal(b, keep) {
			t.Fatalf("goinstrSum256 changed its input (%d bytes)", len(b))
		}
	}
	// The FIPS 180-4 example.
	if got := goinstrSum256([]byte("abc")); hex.EncodeToString(got[:]) !=
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("SHA-256(abc) = %x", got)
	}
}

func TestHashHex(t *testing.T) {
	sum := sha256.Sum256([]byte("keymessage"))
	if got, want := string(goinstrHashHex([]byte("x:"), []byte("key"), []byte("message"))), "x:"+hex.EncodeToString(sum[:8]); got != want {
		t.Fatalf("goinstrHashHex = %q, want %q", got, want)
	}
}

// decoded is what a JSON decoder must give back for s: each byte that
// does not start a valid UTF-8 sequence becomes U+FFFD (the rule of Go's
// range loop over a string).
func decoded(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

func stringCases() []string {
	cases := []string{
		"", "a", "plain ascii", `"quoted"`, `back\slash`, "tab\tnew\nline\rcr",
		"\x00\x01\x02\x1f\x7f", "é", "日本語", "😀 emoji", "\u2028\u2029",
		"\xff", "\xc0\x80", "\xed\xa0\x80", "\xe6\x97", "a\xffb\xfec", "\xf4\x90\x80\x80",
		"é\xff\"é\n", strings.Repeat("\"é\n", 40), "</script>&<>",
	}
	for c := 0; c < 0x100; c++ {
		cases = append(cases, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 3000; i++ {
		b := make([]byte, r.Intn(40))
		for j := range b {
			switch r.Intn(4) {
			case 0:
				b[j] = byte(r.Intn(0x20))
			case 1:
				b[j] = byte(0x80 + r.Intn(0x80))
			default:
				b[j] = byte(r.Intn(0x100))
			}
		}
		cases = append(cases, string(b))
	}
	return cases
}

func TestAppendString(t *testing.T) {
	for _, s := range stringCases() {
		out := goinstrAppendString([]byte("pre"), s, len(s))
		if !bytes.HasPrefix(out, []byte("pre")) {
			t.Fatalf("%q: prefix lost", s)
		}
		out = out[3:]
		if !json.Valid(out) || !utf8.Valid(out) {
			t.Fatalf("%q: %q is not valid JSON", s, out)
		}
		for _, c := range out {
			if c < 0x20 || c == 0x7f {
				t.Fatalf("%q: raw control byte %#x in %q", s, c, out)
			}
		}
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if want := decoded(s); got != want {
			t.Fatalf("%q: decodes to %q, want %q", s, got, want)
		}
	}
}

func TestAppendStringCut(t *testing.T) {
	for _, s := range stringCases()[:400] {
		full := []rune(decoded(s))
		for max := 0; max <= len(s)+1; max++ {
			out := goinstrAppendString(nil, s, max)
			var got string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%q cut at %d: %q: %v", s, max, out, err)
			}
			// The longest prefix of whole runes of s within max bytes.
			n, runes := 0, 0
			for _, r := range s {
				size := utf8.RuneLen(r)
				if r == utf8.RuneError && !strings.HasPrefix(s[n:], "\uFFFD") {
					size = 1
				}
				if n+size > max {
					break
				}
				n += size
				runes++
			}
			if want := string(full[:runes]); got != want {
				t.Fatalf("%q cut at %d: %q, want %q", s, max, got, want)
			}
		}
	}
}

func TestAppendTime(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	secs := []int64{0, -1, 1, 86399, 86400, -86400, 951782400 /* 2000-02-29 */, 4107542400, /* 2100-03-01 */
		-62135596800 /* 0001-01-01 */, 253402300799 /* 9999-12-31T23:59:59 */, -11644473600 /* 1601 */}
	for i := 0; i < 20000; i++ {
		secs = append(secs, r.Int63n(253402300800+62135596800)-62135596800)
	}
	for _, sec := range secs {
		nsec := int32(r.Intn(1e9))
		got := string(goinstrAppendTime([]byte("x"), sec, nsec))
		want := "x" + time.Unix(sec, int64(nsec)).UTC().Format("2006-01-02T15:04:05.000000000Z07:00")
		if got != want {
			t.Fatalf("goinstrAppendTime(%d, %d) = %q, want %q", sec, nsec, got, want)
		}
	}
	testNow = func() (int64, int32) { return 1764550000, 5 }
	defer func() { testNow = func() (int64, int32) { t := time.Now(); return t.Unix(), int32(t.Nanosecond()) } }()
	if got := string(goinstrAppendNow(nil)); got != "2025-12-01T00:46:40.000000005Z" {
		t.Fatalf("goinstrAppendNow = %q", got)
	}
}

func TestAppendDigits(t *testing.T) {
	for _, c := range []struct {
		x     int64
		width int
		want  string
	}{{0, 0, ""}, {0, 1, "0"}, {7, 4, "0007"}, {12345, 2, "12345"}, {999999999, 9, "999999999"}, {5, 9, "000000005"}} {
		if got := string(goinstrAppendDigits(nil, c.x, c.width)); got != c.want {
			t.Errorf("goinstrAppendDigits(%d, %d) = %q, want %q", c.x, c.width, got, c.want)
		}
	}
}

func TestAppendFrame(t *testing.T) {
	f := runtime.Frame{Function: "main.(*T).M", File: "/src/a \"b\".go", Line: 12}
	out := goinstrAppendFrame(nil, &f, 1024)
	var got struct {
		Func, File string
		Line       int
	}
	if err := json.Unmarshal(out, &got); err != nil || got.Func != f.Function || got.File != f.File || got.Line != 12 {
		t.Fatalf("goinstrAppendFrame = %s (%v)", out, err)
	}
}

func TestAppendAddr(t *testing.T) {
	defer resetConfig()
	if got := string(goinstrAppendAddr(nil, 0x12345678)); got != `"0x12345678"` {
		t.Fatalf("address: %s", got)
	}
	goinstrRedactAddrs = true
	goinstrAddrKey = [32]byte{1, 2, 3}
	a, b, c := goinstrAppendAddr(nil, 0x12345678), goinstrAppendAddr(nil, 0x12345678), goinstrAppendAddr(nil, 0x12345679)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) || len(a) != len(`"k:0123456789abcdef"`) || !bytes.HasPrefix(a, []byte(`"k:`)) {
		t.Fatalf("redacted addresses: %s %s %s", a, b, c)
	}
	if bytes.Contains(a, []byte("12345678")) {
		t.Fatalf("redacted address shows the address: %s", a)
	}
}

func TestNamedKeys(t *testing.T) {
	if !goinstrUnaligned {
		t.Skip("names are keyed inline only where unaligned loads are allowed")
	}
	base := goinstrKey{pc: 0x401000, tag: goinstrTag(7, 0x500000)}
	for n := 4; n <= 16; n++ {
		s := strings.Repeat("abcdefghijklmnopq", 2)[:n]
		if !goinstrShortName(s) {
			t.Fatalf("goinstrShortName(%d bytes) = false", n)
		}
		if a, b := base.named(s), base.namedSlow(s); a != b {
			t.Fatalf("%q: named %+v, namedSlow %+v", s, a, b)
		}
	}
	for _, s := range []string{"", "abc", strings.Repeat("x", 17)} {
		if goinstrShortName(s) {
			t.Fatalf("goinstrShortName(%q) = true", s)
		}
	}
}

func TestNamesDiffer(t *testing.T) {
	base := goinstrKey{pc: 0x401000, tag: goinstrTag(7, 0x500000)}
	seen := map[goinstrKey]string{}
	for n := 0; n <= 40; n++ {
		for i := 0; i < n; i++ { // names that differ in one byte
			b := bytes.Repeat([]byte{'a'}, n)
			b[i] = 'b'
			k := base.namedSlow(string(b))
			if prev, dup := seen[k]; dup {
				t.Fatalf("%q and %q have one key", prev, b)
			}
			seen[k] = string(b)
		}
	}
}

func TestTag(t *testing.T) {
	seen := map[uint64]bool{}
	r := rand.New(rand.NewSource(4))
	for i := 0; i < 10000; i++ {
		op, addr := uint32(r.Intn(1<<9)), uintptr(r.Int63n(1<<49))
		tag := goinstrTag(op, addr)
		if uint32(tag&goinstrOpMask) != op {
			t.Fatalf("goinstrTag(%d, %#x): op %d", op, addr, tag&goinstrOpMask)
		}
		if tag&goinstrViaBit != 0 || tag>>9&31 != 0 {
			t.Fatalf("goinstrTag(%d, %#x) sets name or via bits", op, addr)
		}
		seen[tag] = true
	}
	if len(seen) < 9990 {
		t.Fatalf("only %d distinct tags of 10000", len(seen))
	}
}

func TestCache(t *testing.T) {
	keys := make([]goinstrKey, 5000)
	for i := range keys {
		keys[i] = goinstrKey{pc: uintptr(0x400000 + 8*i), tag: goinstrTag(uint32(i%300), uintptr(0x600000+i)), t2: uint64(i)}
	}
	for _, k := range keys {
		if goinstrSeen(&k) || goinstrHit(k) {
			t.Fatalf("key %+v seen before it was remembered", k)
		}
	}
	for _, k := range keys {
		goinstrRemember(&k, 0)
		goinstrRemember(&k, 0) // twice: harmless
	}
	hits := 0
	for _, k := range keys {
		// In the table, or, past a full probe window, in the set.
		if !goinstrSeen(&k) && !goinstrFPHas(goinstrFingerprint(&k)) {
			t.Fatalf("key %+v not seen after it was remembered", k)
		}
		if goinstrHit(k) {
			hits++
		}
		other := k
		other.t3++
		if goinstrSeen(&other) || goinstrFPHas(goinstrFingerprint(&other)) {
			t.Fatalf("key %+v seen, never remembered", other)
		}
	}
	if hits < len(keys)*9/10 {
		t.Fatalf("only %d of %d keys in their first slot", hits, len(keys))
	}
	pc := uintptr(0x7000123)
	if goinstrIsInner(pc) {
		t.Fatal("inner before stored")
	}
	goinstrInner[goinstrInnerSlot(pc)].Store(pc)
	if !goinstrIsInner(pc) || goinstrIsInner(pc+1) {
		t.Fatal("goinstrIsInner")
	}
}

// Names crafted to share one slot of goinstrCache under an unkeyed hash:
// 16 bytes whose two words fold to one value (rotate(first, 42) xor
// last, the fold of the unkeyed slot). Once goinstrConfigure keys the
// hashes, they spread over the table as any names do: none can make the
// table refuse keys that another name would have found room for.
func TestCraftedNamesSpread(t *testing.T) {
	defer resetConfig()
	resetConfig()
	goinstrConfigure()
	base := goinstrKey{pc: 0x401000, tag: goinstrTag(7, 0x500000)}
	load := map[uint64]int{}
	most := 0
	const n = 4096
	for i := 0; i < n; i++ {
		first := uint64(i)*0x9e3779b97f4a7c15 | 0x4040404040404040
		last := 0x0123456789abcdef ^ (first<<42 | first>>22)
		var b [16]byte
		for j := 0; j < 8; j++ {
			b[j], b[8+j] = byte(first>>(8*j)), byte(last>>(8*j))
		}
		load[base.namedSlow(string(b[:])).slot()]++
	}
	for _, c := range load {
		most = max(most, c)
	}
	// 4,096 keys over 65,536 slots: about 128 pairs share one by chance.
	if len(load) < n*9/10 || most > 4 {
		t.Fatalf("%d crafted names in %d slots, at most %d in one", n, len(load), most)
	}
}

// The fingerprint set: what is added is found, what was not is not, and a
// full bucket takes a new fingerprint in place of an old one (evicts,
// never refuses).
func TestFingerprints(t *testing.T) {
	defer resetConfig()
	resetConfig()
	goinstrConfigure()
	clear(goinstrFP[:])
	keys := make([]goinstrKey, 20000)
	for i := range keys {
		keys[i] = goinstrKey{pc: uintptr(0x400000 + 8*i), tag: goinstrTag(uint32(i%300), uintptr(0x600000+i)), t2: uint64(i)}
	}
	for _, k := range keys {
		if fp := goinstrFingerprint(&k); fp == 0 || goinstrFPHas(fp) {
			t.Fatalf("key %+v: fingerprint %#x (found before added)", k, fp)
		}
	}
	for _, k := range keys {
		goinstrFPAdd(goinstrFingerprint(&k))
	}
	for _, k := range keys {
		if !goinstrFPHas(goinstrFingerprint(&k)) {
			t.Fatalf("key %+v added, not found", k)
		}
		other := k
		other.t3++
		if goinstrFPHas(goinstrFingerprint(&other)) {
			t.Fatalf("key %+v found, never added", other)
		}
	}
	// Nine fingerprints for one bucket: the last is found, one of the
	// others no longer is. From an empty set: the keys above land in
	// buckets the per-process seed picks, bucket 0 among them about one
	// run in seven, which would leave it fewer free words.
	clear(goinstrFP[:])
	fps := []uint64{}
	for v := uint64(1); len(fps) < 9; v += 2 {
		fps = append(fps, v<<(64-goinstrFPBits-8)|v) // all in bucket 0
	}
	for _, fp := range fps {
		goinstrFPAdd(fp)
	}
	found := 0
	for _, fp := range fps {
		if goinstrFPHas(fp) {
			found++
		}
	}
	if !goinstrFPHas(fps[8]) || found != 8 {
		t.Fatalf("a full bucket: the newest found %v, %d of 9 found", goinstrFPHas(fps[8]), found)
	}
	clear(goinstrFP[:])
}

// Past goinstrCache's room, keys are remembered by fingerprint: a key is
// seen once remembered, whatever the table holds.
func TestRememberPastTable(t *testing.T) {
	defer resetConfig()
	resetConfig()
	goinstrConfigure()
	clear(goinstrFP[:])
	clear(goinstrCache[:])
	goinstrCacheFilled.Store(0)
	n := len(goinstrCache) + len(goinstrCache)/2
	for i := 0; i < n; i++ {
		k := goinstrKey{pc: uintptr(0x400000 + 16*i), tag: goinstrTag(3, 0x500000)}
		goinstrRemember(&k, 0)
		if !goinstrSeen(&k) && !goinstrFPHas(goinstrFingerprint(&k)) {
			t.Fatalf("key %d of %d remembered, neither in the table nor in the set", i, n)
		}
	}
	if f := goinstrCacheFilled.Load(); f < goinstrCacheRoom || f > uint64(len(goinstrCache)) {
		t.Fatalf("%d slots of %d counted filled", f, len(goinstrCache))
	}
	clear(goinstrFP[:])
	clear(goinstrCache[:])
	goinstrCacheFilled.Store(0)
}

func TestFuncPkg(t *testing.T) {
	for fn, want := range map[string]string{
		"main.main":                           "main",
		"encoding/json.(*decodeState).object": "encoding/json",
		"example.com/m/p.F[...]":              "example.com/m/p",
		"example.com/m.v2/p.(*T[...]).M":      "example.com/m.v2/p",
		"reflect.Value.Call":                  "reflect",
		// The linker escapes dots in a path's last element.
		"gopkg.in/yaml%2ev3.(*decoder).unmarshal": "gopkg.in/yaml%2ev3",
	} {
		if got := goinstrFuncPkg(fn); got != want {
			t.Errorf("goinstrFuncPkg(%q) = %q, want %q", fn, got, want)
		}
	}
	for fn, want := range map[string]bool{
		"reflect.goinstr12": true, "example.com/p.goinstrUF": true, "reflect.Value.Call": false,
		"main.goinstrless": true, "main.main": false, "a/b.c.goinstrX": false,
	} {
		if got := goinstrIsHelper(fn); got != want {
			t.Errorf("goinstrIsHelper(%q) = %v", fn, got)
		}
	}
}

func TestIsStd(t *testing.T) {
	defer resetConfig()
	goinstrRoot = "/usr/local/go"
	for _, c := range []struct {
		f    runtime.Frame
		want bool
	}{
		{runtime.Frame{Function: "encoding/json.Marshal", File: "/usr/local/go/src/encoding/json/encode.go"}, true},
		{runtime.Frame{Function: "main.main", File: "/home/u/p/main.go"}, false},
		{runtime.Frame{Function: "encoding/json.Marshal", File: "encoding/json/encode.go"}, true}, // -trimpath
		{runtime.Frame{Function: "example.com/p.F", File: "example.com/p/f.go"}, false},
		{runtime.Frame{Function: "main.main", File: "command-line-arguments/main.go"}, false},
		{runtime.Frame{Function: "fmt.Println", File: "/usr/local/go2/src/fmt/print.go"}, false},
	} {
		if got := goinstrIsStd(c.f); got != c.want {
			t.Errorf("goinstrIsStd(%+v) = %v", c.f, got)
		}
	}
}

func TestShowPath(t *testing.T) {
	defer resetConfig()
	goinstrHome = "/home/u"
	if got := goinstrShowPath("/home/u/p.go"); got != "/home/u/p.go" {
		t.Fatalf("unredacted: %q", got)
	}
	goinstrRedactPaths = true
	for in, want := range map[string]string{"/home/u/p.go": "~/p.go", "/home/user/p.go": "/home/user/p.go", "/home/u": "/home/u", "/x/home/u/p": "/x/home/u/p"} {
		if got := goinstrShowPath(in); got != want {
			t.Errorf("goinstrShowPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// resetConfig undoes goinstrConfigure and the tests' settings.
func resetConfig() {
	goinstrRedactStrings, goinstrRedactPaths, goinstrRedactAddrs = false, false, false
	goinstrRedacted, goinstrRedactUnknown, goinstrHome, goinstrRoot = "", "", "", ""
	goinstrAddrKey = [32]byte{}
	goinstrCut, goinstrMaxBytes, goinstrKeep, goinstrMaxEvents = goinstrMaxString, 0, 3, 100000
	testEnv = map[string]string{}
}

func TestConfigure(t *testing.T) {
	defer resetConfig()
	type env = map[string]string
	for _, c := range []struct {
		env               env
		redacted, unknown string
		cut, keep, events int
		maxBytes          int64
	}{
		{env{}, "", "", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_REDACT": "strings,paths,addresses"}, "strings,paths,addresses", "", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_REDACT": "addresses,strings"}, "strings,addresses", "", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_REDACT": "strings,,paths,"}, "strings,paths", "", 64, 3, 100000, 0},
		// Fail closed: an unknown word redacts everything.
		{env{"INSTRUMENTATION_REDACT": "STRINGS"}, "strings,paths,addresses", "STRINGS", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_REDACT": "all"}, "strings,paths,addresses", "all", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_REDACT": "strings, paths"}, "strings,paths,addresses", " paths", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_REDACT": "paths,bogus,x"}, "strings,paths,addresses", "bogus,x", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_MAX_STRING": "8", "INSTRUMENTATION_LOG_MAX_BYTES": "4096", "INSTRUMENTATION_LOG_KEEP": "2",
			"INSTRUMENTATION_LOG_MAX_EVENTS": "100"}, "", "", 8, 2, 100, 4096},
		{env{"INSTRUMENTATION_MAX_STRING": "lots", "INSTRUMENTATION_LOG_MAX_BYTES": "-1", "INSTRUMENTATION_LOG_KEEP": "0",
			"INSTRUMENTATION_LOG_MAX_EVENTS": "0"}, "", "", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_MAX_STRING": "0", "INSTRUMENTATION_LOG_KEEP": "1001", "INSTRUMENTATION_LOG_MAX_EVENTS": "99999999999"},
			"", "", 64, 3, 100000, 0},
		{env{"INSTRUMENTATION_MAX_STRING": "65536"}, "", "", goinstrMaxStringCap, 3, 100000, 0},
	} {
		resetConfig()
		testEnv = c.env
		testEnv["HOME"] = "/home/u//"
		goinstrConfigure()
		if goinstrRedacted != c.redacted || goinstrRedactUnknown != c.unknown || goinstrCut != c.cut ||
			goinstrKeep != c.keep || goinstrMaxBytes != c.maxBytes || goinstrMaxEvents != c.events {
			t.Errorf("%v: redact %q (unknown %q), cut %d, keep %d, max bytes %d, max events %d", c.env,
				goinstrRedacted, goinstrRedactUnknown, goinstrCut, goinstrKeep, goinstrMaxBytes, goinstrMaxEvents)
		}
		if goinstrHome != "/home/u" || goinstrRoot != testRoot {
			t.Errorf("%v: home %q, root %q", c.env, goinstrHome, goinstrRoot)
		}
		if goinstrRedactAddrs == (goinstrAddrKey == [32]byte{}) {
			t.Errorf("%v: address key %x with addresses redacted %v", c.env, goinstrAddrKey, goinstrRedactAddrs)
		}
	}
}

func TestCutString(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want string
	}{
		{"abc", 3, "abc"}, {"abcd", 3, "abc…"}, {"", 0, ""}, {"a", 0, "…"},
		{"ééé", 3, "é…"}, {"ééé", 4, "éé…"}, {"日本語", 4, "日…"}, {"日本語", 5, "日…"}, {"日本語", 6, "日本…"},
		{"\x80\x80\x80\x80\x80", 2, "\x80\x80…"},
	} {
		if got := goinstrCutString(c.s, c.max); got != c.want {
			t.Errorf("goinstrCutString(%q, %d) = %q, want %q", c.s, c.max, got, c.want)
		}
	}
	for _, s := range stringCases() {
		for max := 0; max <= len(s); max++ {
			got := goinstrCutString(s, max)
			if len(s) > max && (len(got) > max+len("…") || !strings.HasSuffix(got, "…")) {
				t.Fatalf("goinstrCutString(%q, %d) = %q", s, max, got)
			}
		}
	}
}

func TestShowString(t *testing.T) {
	defer resetConfig()
	goinstrCut = 8
	if got := goinstrShowString("Hunter2SecretToken"); got != "Hunter2S…" {
		t.Fatalf("cut: %q", got)
	}
	goinstrRedactStrings = true
	sum := sha256.Sum256([]byte("Hunter2SecretToken"))
	if got := goinstrShowString("Hunter2SecretToken"); got != "#"+hex.EncodeToString(sum[:8]) {
		t.Fatalf("redacted: %q", got)
	}
}

func TestLineKey(t *testing.T) {
	seen := map[goinstrLineKey]string{}
	for i := 0; i < 200000; i++ {
		s := "reflect.Value.FieldByName\x00main.main\x00/src/main.go\x0012\x00main.T.name" + strconv.Itoa(i)
		k := goinstrLineKeyOf(s)
		if prev, dup := seen[k]; dup {
			t.Fatalf("%q and %q share a line key", prev, s)
		}
		seen[k] = s
		if goinstrLineKeyOf(s) != k {
			t.Fatal("goinstrLineKeyOf is not a function")
		}
	}
}

func TestModinfo(t *testing.T) {
	cases := []*debug.BuildInfo{
		{GoVersion: "go1.26.8", Path: "example.com/m/cmd/app", Main: debug.Module{Path: "example.com/m", Version: "(devel)"}},
		{GoVersion: "go1.26.8", Path: "command-line-arguments"},
		{GoVersion: "go1.27.3", Path: "example.com/uprog", Main: debug.Module{Path: "example.com/uprog", Version: "v1.2.3", Sum: "h1:abc="},
			Deps: []*debug.Module{
				{Path: "example.com/udep", Version: "v0.0.0", Replace: &debug.Module{Path: "../udep"}},
				{Path: "golang.org/x/sys", Version: "v0.50.0", Sum: "h1:xyz="},
				{Path: "gopkg.in/yaml.v3", Version: "v3.0.1", Sum: "h1:q=", Replace: &debug.Module{Path: "example.com/fork/yaml", Version: "v3.0.2", Sum: "h1:r="}},
				{Path: "example.com/\"odd\"\\name", Version: "v1.0.0"},
			},
			Settings: []debug.BuildSetting{{Key: "-compiler", Value: "gc"}, {Key: "CGO_ENABLED", Value: "0"}, {Key: "vcs.revision", Value: "abc"}}},
	}
	for i := 0; i < 300; i++ { // many dependencies
		cases[2].Deps = append(cases[2].Deps, &debug.Module{Path: "example.com/dep" + strconv.Itoa(i), Version: "v1.0." + strconv.Itoa(i), Sum: "h1:s="})
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		cases = append(cases, bi) // this test binary's own
	}
	for _, bi := range cases {
		text := bi.String()
		check, err := debug.ParseBuildInfo(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{text, goinstrInfoStart + text + "\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"} {
			if u := goinstrBuildSetting(s, "goinstr.unsafe"); u != "" {
				t.Fatalf("%s: a goinstr.unsafe setting %q in a plain binary's information", bi.Path, u)
			}
			main, deps := goinstrParseModinfo(s)
			wantMain := check.Main.Path
			if wantMain == "" {
				wantMain = check.Path
			}
			if main.path != wantMain || main.version != check.Main.Version || main.pkg != check.Path ||
				len(deps) != len(check.Deps) {
				t.Fatalf("%s: main %+v, %d deps; want %+v, %d", bi.Path, main, len(deps), check.Main, len(check.Deps))
			}
			for j, d := range check.Deps {
				g := deps[j]
				if g.path != d.Path || g.version != d.Version || (g.replace == nil) != (d.Replace == nil) ||
					(d.Replace != nil && (g.replace.path != d.Replace.Path || g.replace.version != d.Replace.Version)) {
					t.Fatalf("dep %d: %+v, want %+v", j, g, d)
				}
			}
			// As JSON: exactly those modules.
			out := goinstrAppendModules(nil, main, deps, 1<<20)
			var got struct {
				Main struct{ Path, Version, Pkg string }
				Deps []struct {
					Path, Version string
					Replace       *struct{ Path, Version string }
				}
			}
			if err := json.Unmarshal(append(append([]byte("{"), out[1:]...), '}'), &got); err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if got.Main.Path != wantMain || got.Main.Pkg != check.Path || len(got.Deps) != len(check.Deps) {
				t.Fatalf("JSON %s", out)
			}
			for j, d := range check.Deps {
				if got.Deps[j].Path != d.Path || (got.Deps[j].Replace == nil) != (d.Replace == nil) {
					t.Fatalf("JSON dep %d: %+v, want %+v", j, got.Deps[j], d)
				}
			}
		}
	}
}

func TestModulesCut(t *testing.T) {
	var deps []goinstrModule
	for i := 0; i < 1000; i++ {
		deps = append(deps, goinstrModule{path: "example.com/dependency/number" + strconv.Itoa(i), version: "v1.2.3"})
	}
	out := goinstrAppendModules(nil, goinstrModule{path: "m"}, deps, 4096)
	var got struct {
		Deps    []struct{ Path string }
		DepsCut int `json:"deps_cut"`
	}
	if err := json.Unmarshal(append(append([]byte("{"), out[1:]...), '}'), &got); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if len(got.Deps)+got.DepsCut != 1000 || got.DepsCut == 0 || len(out) > 4096+200 {
		t.Fatalf("%d deps, %d cut, %d bytes", len(got.Deps), got.DepsCut, len(out))
	}
}

func TestExePath(t *testing.T) {
	for _, c := range []struct{ link, argv0, cwd, want string }{
		{"/srv/bin/app", "./app", "/srv", "/srv/bin/app"},
		{"", "/usr/bin/app", "/srv", "/usr/bin/app"},
		{"", "./bin/app", "/srv", "/srv/bin/app"},
		{"", "bin/app", "/", "/bin/app"},
		{"", "app", "/srv", "app"}, // found in $PATH: as given
		{"", "./app", "", "./app"},
	} {
		if got := goinstrExePath(c.link, c.argv0, c.cwd); got != c.want {
			t.Errorf("goinstrExePath(%q, %q, %q) = %q, want %q", c.link, c.argv0, c.cwd, got, c.want)
		}
	}
}

// The log header's "unsafe" comes from the link's mark (src/buildinfo.h).
func TestBuildSetting(t *testing.T) {
	info := goinstrInfoStart + "go\tgo1.26.8\npath\tx\nbuild\tgoinstr=0.1.0\nbuild\tgoinstr.unsafe.x=deps\n" +
		"build\tgoinstr.unsafe=main\n" + "\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
	for key, want := range map[string]string{"goinstr.unsafe": "main", "goinstr": "0.1.0", "goinstr.ops": "", "go": ""} {
		if got := goinstrBuildSetting(info, key); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
}
