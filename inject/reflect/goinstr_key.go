// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// Deduplication on the hot path: the key of an event (goinstrKey), the
// lock-free table of keys already decided (goinstrCache) and of return
// addresses inside package reflect (goinstrInner), the tests the
// injected hooks inline (goinstrIsInner, goinstrHit, goinstrHitTag), and
// the bounded set of keyed fingerprints that holds the keys the table has
// no room for (goinstrFP). Everything here is allocation free and holds no
// pointer. The hashes are keyed per process (goinstrRekey): names a
// program is sent cannot be crafted to share a slot.
//
// Pure: uses nothing of package reflect (see goinstr_log.go).

package reflect

import (
	"math/bits"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// A goinstrKey names an event for deduplication: the return address into
// its caller (pc), the op, and a target (e.g. the called function's entry,
// or a type and a method name: named). Four words, so that the compiler
// keeps a hook's key in registers.
type goinstrKey struct {
	pc     uintptr
	tag    uint64 // goinstrTag: op and target address
	t2, t3 uint64
}

// goinstrTag packs op number op (bits 0-8; a name's length goes in bits
// 9-13, goinstrViaBit is bit 14) with a target address t, rotated left by
// 15 bits: its top 15 bits, zero for an address below 2^49, land in the
// op's. So a tag is exact for targets below 2^49: every address on
// linux/amd64 and linux/arm64, the bound Go's runtime itself relies on
// there (runtime/tagptr_64bit.go). Where addresses are wider (riscv64
// with Sv57), two targets whose addresses differed only above bit 48
// could share a tag.
func goinstrTag(op uint32, t uintptr) uint64 { return bits.RotateLeft64(uint64(t), 15) ^ uint64(op) }

// goinstrOpMask: a tag's op number, the index into goinstrOps.
const goinstrOpMask = 1<<9 - 1

// slot is where k's probe sequence starts in goinstrCache: one multiply-
// shift over the fields folded with a rotation, a few cycles, by an odd
// multiplier drawn per process. It only spreads keys; equality is checked
// on the keys themselves. The words a program's names give a key (t2,
// t3) are multiplied by keys of their own first (named), so two names
// fold to one value only by chance, and share a slot with probability
// about 2^-16, whatever the names.
func (k goinstrKey) slot() uint64 {
	// The rotation written as shifts: the compiler folds it for a constant
	// tag, not bits.RotateLeft64.
	h := uint64(k.pc) ^ (k.tag<<21 | k.tag>>43) ^ k.t2 ^ k.t3
	return h * goinstrSlotMul >> (64 - goinstrCacheBits) // < len(goinstrCache)
}

// The keys of the hashes above, drawn per process by goinstrRekey (odd:
// a multiplication by one is a bijection, so a name's words stay exact).
// Until then, fixed odd constants: keys are exact whatever these are;
// keys made before goinstrRekey are only found in the table again by
// chance (decided again, exactly, through their line's identity).
var (
	goinstrSlotMul uint64 = 0xbf58476d1ce4e5b9
	goinstrNameMul        = [2]uint64{0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f}
	goinstrFPSeed  uintptr
)

// goinstrRekey draws the hash keys; called once, by goinstrConfigure,
// before main runs.
func goinstrRekey() {
	goinstrSlotMul = goinstrRand() | 1
	goinstrNameMul[0] = goinstrRand() | 1
	goinstrNameMul[1] = goinstrRand() | 1
	goinstrFPSeed = uintptr(goinstrRand())
}

// goinstrCache is a lock-free set of the keys already decided (logged, or
// skipped as calls from inside reflect): open addressing over slots that
// hold the keys themselves. A slot is filled once: its pc goes from 0
// (empty) to 1 (being filled; no return address is 0 or 1) to the key's
// pc, stored last, after which nothing in it changes. It holds no
// pointer, so the garbage collector never scans it, and filling it
// allocates nothing. A key that finds no room is decided again under
// goinstrMu, which is slower but still exact.
const (
	goinstrCacheBits  = 16 // 2 MiB of zero pages, touched as keys arrive
	goinstrCacheProbe = 4  // two cache lines: a miss past the limits reads no more
)

type goinstrSlot struct { // 32 bytes: one cache line holds it whole
	pc     atomic.Uintptr
	tag    uint64
	t2, t3 uint64
}

var goinstrCache [1 << goinstrCacheBits]goinstrSlot

// holds is whether s holds k. The fields after pc are read only once pc
// shows they were published.
func (s *goinstrSlot) holds(k goinstrKey) bool {
	return s.pc.Load() == k.pc && s.tag == k.tag && s.t2 == k.t2 && s.t3 == k.t3
}

// goinstrInner holds return addresses known to be inside package reflect
// (goinstrFrames' inner): a hooked function called from there is no event
// whatever its arguments, so the hooks dismiss such a call before they
// build its key. A slot only ever holds such an address, the last one
// stored, so a match is exact.
var goinstrInner [1 << 10]atomic.Uintptr

// goinstrInnerSlot is pc's low bits: return addresses into reflect's
// code, which nothing outside it chooses, spread over them as well as a
// multiplicative hash spreads them, at one instruction.
func goinstrInnerSlot(pc uintptr) uint64 { return uint64(pc) & (1<<10 - 1) }

// goinstrIsInner is the hooks' first test (inlined).
func goinstrIsInner(pc uintptr) bool { return goinstrInner[goinstrInnerSlot(pc)].Load() == pc }

// goinstrHit is the hot path, small enough to be inlined into the
// hooks: whether k sits in its first slot, as nearly every key does.
// (Written field by field: == on the structs would call memequal.)
func goinstrHit(k goinstrKey) bool {
	return goinstrCache[k.slot()].holds(k)
}

// goinstrHitTag is goinstrHit for a hook whose keys never have t2, t3
// (a type for target, or none). Which key fields are set depends only on
// the op, which the tag holds, so a slot with k's pc and tag holds k.
func goinstrHitTag(k goinstrKey) bool {
	s := &goinstrCache[k.slot()]
	return s.pc.Load() == k.pc && s.tag == k.tag
}

// goinstrSeen is whether k is in goinstrCache, looking further than
// goinstrHit; called on its misses. (The key's words held in locals: a
// probe is a load and a compare.)
func goinstrSeen(k *goinstrKey) bool {
	pc, tag, t2, t3 := k.pc, k.tag, k.t2, k.t3
	i := k.slot()
	for n := uint64(0); n < goinstrCacheProbe; n++ {
		s := &goinstrCache[(i+n)&(1<<goinstrCacheBits-1)]
		p := s.pc.Load()
		if p == pc && s.tag == tag && s.t2 == t2 && s.t3 == t3 {
			return true
		}
		if p == 0 {
			return false
		}
	}
	return false
}

// goinstrCacheFilled counts goinstrCache's filled slots: once nearly all
// are, a probe for room would almost always fail, and keys go to goinstrFP
// at once.
var goinstrCacheFilled atomic.Uint64

const goinstrCacheRoom = (1 << goinstrCacheBits) / 16 * 15

// goinstrRemember caches k, if there is room, else adds it to goinstrFP
// (fp: its fingerprint, or 0 if not yet computed). Two goroutines may
// both cache the same key, in two slots: harmless, a lookup finds either.
func goinstrRemember(k *goinstrKey, fp uint64) {
	if goinstrCacheFilled.Load() < goinstrCacheRoom {
		i := k.slot()
		for n := uint64(0); n < goinstrCacheProbe; n++ {
			s := &goinstrCache[(i+n)&(1<<goinstrCacheBits-1)]
			if s.pc.Load() == 0 && s.pc.CompareAndSwap(0, 1) {
				s.tag, s.t2, s.t3 = k.tag, k.t2, k.t3
				s.pc.Store(k.pc) // publishes the fields above
				goinstrCacheFilled.Add(1)
				return
			}
			if s.holds(*k) {
				return
			}
		}
	}
	if fp == 0 {
		fp = goinstrFingerprint(k)
	}
	goinstrFPAdd(fp)
}

// goinstrFP holds the keys decided that goinstrCache had no room for
// (every key past its 65,536 slots, or past a full probe window) as 64-bit
// fingerprints, keyed per process: a lock-free set of buckets of eight
// words, one cache line each. It never refuses a key: when a bucket is
// full, a new fingerprint takes the place of one of its eight, and the
// key evicted is decided again on its next call (exactly, through its
// line's identity; past the cap on events, counted again as dropped). Two
// keys share a fingerprint with probability 2^-64 each, so a key is taken
// for another's (and not logged) about never. 8 MiB of zero pages,
// touched as keys arrive.
const goinstrFPBits = 17

var goinstrFP [1 << goinstrFPBits][8]atomic.Uint64

// goinstrFingerprint is k's fingerprint: the runtime's string hash (AES
// based where the CPU has it, seeded per process) of its four words, with
// goinstrFPSeed; never 0, which marks an empty word.
func goinstrFingerprint(k *goinstrKey) uint64 {
	w := [4]uint64{uint64(k.pc), k.tag, k.t2, k.t3}
	s := unsafe.String((*byte)(unsafe.Pointer(&w)), len(w)*8)
	h := uint64(goinstrStrhashSeed(s, goinstrFPSeed))
	if unsafe.Sizeof(uintptr(0)) < 8 { // a 32-bit hash: two of them
		h = h<<32 ^ uint64(goinstrStrhashSeed(s, goinstrFPSeed^0x5bd1e995))
	}
	return h | 1
}

func goinstrFPBucket(fp uint64) *[8]atomic.Uint64 { return &goinstrFP[fp>>(64-goinstrFPBits)] }

// goinstrFPHas is whether the set holds fp.
func goinstrFPHas(fp uint64) bool {
	b := goinstrFPBucket(fp)
	for i := range b {
		if b[i].Load() == fp {
			return true
		}
	}
	return false
}

// goinstrFPAdd puts fp in the set: in an empty word of its bucket, or in
// place of the word its low bits pick.
func goinstrFPAdd(fp uint64) {
	b := goinstrFPBucket(fp)
	for i := range b {
		v := b[i].Load()
		if v == fp || v == 0 && b[i].CompareAndSwap(0, fp) {
			return
		}
	}
	b[fp>>1&7].Store(fp)
}

// A key's name part: its length and, for names of up to 16 bytes (nearly
// every field and method name), its bytes, read as two overlapping words:
// exact, and cheaper than hashing. A longer name is keyed by the runtime's
// string hash (AES-based where the CPU has it, seeded per process) and its
// length. The hooks take named, inline, where goinstrShortName allows, and
// the call to namedSlow otherwise; both give the same words for a name.

// goinstrUnaligned: the machine loads unaligned little-endian words, so
// *(*uint64)(p) is goinstrLoad64(p).
const goinstrUnaligned = runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64"

// goinstrShortName is whether named may key s: 4 to 16 bytes, on a
// machine with unaligned loads.
func goinstrShortName(s string) bool { return goinstrUnaligned && uint(len(s))-4 <= 12 }

// named is k with the name part of s, for s that goinstrShortName allows:
// its words times goinstrNameMul (see slot).
func (k goinstrKey) named(s string) goinstrKey {
	l := uint(len(s))
	p := unsafe.Pointer(unsafe.StringData(s))
	if l >= 8 {
		k.t2, k.t3 = *(*uint64)(p), *(*uint64)(unsafe.Add(p, l-8))
	} else {
		k.t2, k.t3 = uint64(*(*uint32)(p)), uint64(*(*uint32)(unsafe.Add(p, l-4)))
	}
	k.t2 *= goinstrNameMul[0]
	k.t3 *= goinstrNameMul[1]
	k.tag |= uint64(l) << 9
	return k
}

// namedSlow is k with the name part of any s.
func (k goinstrKey) namedSlow(s string) goinstrKey {
	l := len(s)
	p := unsafe.Pointer(unsafe.StringData(s))
	switch {
	case l > 16: // the runtime's hash, keyed per process already
		k.t2, k.t3 = uint64(goinstrStrhash(s)), uint64(l)
		k.tag |= 17 << 9
		return k
	case l >= 8:
		k.t2, k.t3 = goinstrLoad64(p), goinstrLoad64(unsafe.Add(p, l-8))
	case l >= 4:
		k.t2, k.t3 = uint64(goinstrLoad32(p)), uint64(goinstrLoad32(unsafe.Add(p, l-4)))
	case l > 0:
		b := unsafe.Slice((*byte)(p), l)
		k.t2 = uint64(b[0]) | uint64(b[l>>1])<<8 | uint64(b[l-1])<<16
	}
	k.t2 *= goinstrNameMul[0]
	k.t3 *= goinstrNameMul[1]
	k.tag |= uint64(l) << 9
	return k
}

// Little-endian loads byte by byte: one load on machines that allow
// unaligned access (the compiler merges them), correct on the others.
func goinstrLoad64(p unsafe.Pointer) uint64 {
	b := (*[8]byte)(p)
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func goinstrLoad32(p unsafe.Pointer) uint32 {
	b := (*[4]byte)(p)
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// goinstrIntKey is an index argument's part of a key (Method's i).
func goinstrIntKey[T ~int | ~int8 | ~int16 | ~int32 | ~int64](i T) uint64 { return uint64(i) }

// A goinstrLineKey is a line's identity (op, caller position, target,
// site) in the sets of lines written and dropped (goinstr_event.go):
// 128 bits of the runtime's string hash, seeded per process, so the sets
// hold fixed-size keys whatever the names in them.
type goinstrLineKey [2]uint64

func goinstrLineKeyOf(s string) goinstrLineKey {
	var k goinstrLineKey
	for i := uintptr(0); i < 4; i++ { // 4 hashes: uintptr may be 32 bits
		k[i/2] ^= uint64(goinstrStrhashSeed(s, i+1)) << (32 * (i % 2))
	}
	return k
}
