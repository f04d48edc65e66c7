// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// This file is added to package runtime by goinstr (in the build overlay
// only). It is the entry point of the taps goinstr puts on unsafe
// operations in packages outside the standard library. They pull
// goinstrUnsafeEvent by name; it lives here, not in reflect, because the
// runtime is linked into every program and a pull of a symbol that is not
// linked would break the build. The logger itself is reflect's
// (goinstr_log.go there), which registers it at initialization.

package runtime

import (
	"internal/runtime/atomic"
	_ "unsafe" // for go:linkname
)

type goinstrUnsafeLogger func(op, file string, line, col int, expr, from, to string)

// goinstrUnsafeHook is set once, by package reflect's initialization,
// when logging is on; nil otherwise.
var goinstrUnsafeHook goinstrUnsafeLogger

//go:linkname reflect_goinstrSetUnsafeHook reflect.goinstrSetUnsafeHook
func reflect_goinstrSetUnsafeHook(h goinstrUnsafeLogger) {
	goinstrUnsafeHook = h
}

// goinstrBlind names what goinstr could not instrument in this program:
// one line per package, "PATH\tWHAT" (calls into C, functions not in Go,
// linkname pulls into the runtime, packages compiled without their
// taps...). goinstr's link step sets it (-X): every log header names it.
var goinstrBlind string

//go:linkname reflect_goinstrBlind reflect.goinstrBlind
func reflect_goinstrBlind() string {
	return goinstrBlind
}

// goinstrUnsafeEvent is called on a site's first executions until one is
// logged: *done becomes 1 (once, by one caller) when the event is handed
// to the logger, or when logging is off, so the site's tap then costs a
// load and a branch. Before reflect has initialized (a site run by an
// earlier package's init) the event waits for a later execution.
//
// tab is the site table of the tap's package and i the site's number in
// it (see goinstrUSite); the sites its record chains (operands of the
// same operation, which always run with it) are logged with it.
//
//go:linkname goinstrUnsafeEvent
func goinstrUnsafeEvent(done *uint32, tab string, i int) {
	h := goinstrUnsafeHook
	if h == nil {
		if gogetenv("INSTRUMENTATION_LOG_PATH") == "" {
			atomic.Store(done, 1)
		}
		return
	}
	if !atomic.Cas(done, 0, 1) {
		return
	}
	var s goinstrUSite
	for n := 0; n < 64 && s.decode(tab, i); n++ {
		h(goinstrUOps[s.op], s.file, s.line, s.col, s.expr, s.from, s.to)
		if s.next <= 0 {
			break
		}
		i += s.next
	}
}

// The ops of the site table, by number.
var goinstrUOps = [...]string{"unsafe.Pointer", "unsafe.Add", "unsafe.Slice", "unsafe.SliceData", "unsafe.String", "unsafe.StringData"}

// goinstrUSite is one site of a package's site table, a constant string
// that goinstr's rewriter writes (src/rwunsafe.c, site_table) and that is
// only read here, on a site's first hit. It holds printable bytes but for
// the strings it quotes:
//
//	"U1" NSITES INDEX RECORDS POOL
//
// Numbers are base-32 digits, most significant first: '#'+d ('#'..'B')
// for every digit but the last, ']'+d (']'..'|') for the last. INDEX
// holds, 6 digits '#'+d each, the offset in RECORDS of each block of 32
// records, then POOL's. A record is
//
//	OP FILE LINE COL EXPR FROM TO NEXT
//
// with OP an index of goinstrUOps, LINE zigzag-coded as the difference
// from the previous record's line in the block (0 before the first),
// FILE, FROM and TO offsets in POOL (FROM and TO plus one; 0: none),
// where each string is its length, then its bytes, and NEXT how many
// sites after this one the site logged with it is (0: none). EXPR is twice an
// offset in POOL, or twice a start plus one followed by a length: the
// source text is that part of the previous record's in the block (an
// operand's text is within its operation's). The site's id is not
// stored: the logger hashes it from FILE, LINE, COL and OP as goinstr's
// inventory does.
type goinstrUSite struct {
	op                   int
	file, expr, from, to string
	line, col, next      int
	tab                  string
	pos, records, pool   int
	bad                  bool
}

const (
	goinstrUDigit = '#' // a digit that more follow
	goinstrULast  = ']' // the last digit of a number
	goinstrUBlock = 32  // records per block
	goinstrUFixed = 6   // digits of an index entry
)

// num reads a number at s.pos.
func (s *goinstrUSite) num() int {
	v := 0
	for s.pos < len(s.tab) && !s.bad {
		c := int(s.tab[s.pos])
		s.pos++
		if c >= goinstrULast && c < goinstrULast+32 && v < 1<<25 {
			return v<<5 | (c - goinstrULast)
		}
		if c < goinstrUDigit || c >= goinstrUDigit+32 || v >= 1<<25 {
			break // not a digit, or more than 30 bits: an int on every arch
		}
		v = v<<5 | (c - goinstrUDigit)
	}
	s.bad = true
	return 0
}

// fixed reads an index entry at off.
func (s *goinstrUSite) fixed(off int) int {
	v := 0
	for k := 0; k < goinstrUFixed; k++ {
		if off+k >= len(s.tab) {
			s.bad = true
			return 0
		}
		c := int(s.tab[off+k]) - goinstrUDigit
		if c < 0 || c >= 32 {
			s.bad = true
			return 0
		}
		v = v<<5 | c
	}
	return v
}

// str is the pool's string at offset off.
func (s *goinstrUSite) str(off int) string {
	save := s.pos
	s.pos = s.pool + off
	n := s.num()
	start := s.pos
	s.pos = save
	if s.bad || off < 0 || n < 0 || start+n > len(s.tab) {
		s.bad = true
		return ""
	}
	return s.tab[start : start+n]
}

// The words unsafe code repeats: in a pooled site text, "\x01" then
// '0'+i stands for word i, "\x01\x01" for "\x01" (goinstr's rwunsafe.c
// writes them, from the same list in the same order).
var goinstrUWords = [...]string{
	"unsafe.Pointer(", "uintptr(", "unsafe.Add(", "(*uintptr)(", "unsafe.Slice(",
	"unsafe.String(", "unsafe.SliceData(", "unsafe.StringData(", "(*int32)(", "(*int64)(",
	"(*uint8)(", "(*byte)(", "(*int8)(", "(*uint32)(", "(*uint64)(", "(*int16)(", "(*uint16)(",
	"))", ")(",
}

// expand writes a pooled site text's words out.
func (s *goinstrUSite) expand(w string) string {
	var b []byte
	for i := 0; i < len(w); i++ {
		if w[i] != 1 {
			b = append(b, w[i])
			continue
		}
		if i++; i < len(w) && w[i] == 1 {
			b = append(b, 1)
		} else if k := int(w[i]) - '0'; i < len(w) && k >= 0 && k < len(goinstrUWords) {
			b = append(b, goinstrUWords[k]...)
		} else {
			s.bad = true
			return ""
		}
	}
	return string(b)
}

// exprOf reads a record's EXPR: pooled, or a part of prev.
func (s *goinstrUSite) exprOf(prev string) string {
	e := s.num()
	if e&1 == 0 {
		return s.expand(s.str(e >> 1))
	}
	start, n := e>>1, s.num()
	if s.bad || start < 0 || n < 0 || start+n > len(prev) {
		s.bad = true
		return ""
	}
	return prev[start : start+n]
}

// decode finds site i of tab; false if tab has no such site (it was
// written by another goinstr, or damaged: the event is dropped).
func (s *goinstrUSite) decode(tab string, i int) bool {
	*s = goinstrUSite{tab: tab}
	if len(tab) < 2 || tab[:2] != "U3" {
		return false
	}
	s.pos = 2
	nsites := s.num()
	if s.bad || i < 0 || i >= nsites {
		return false
	}
	nblocks := (nsites + goinstrUBlock - 1) / goinstrUBlock
	index := s.pos
	s.records = index + goinstrUFixed*(nblocks+1)
	s.pool = s.records + s.fixed(index+goinstrUFixed*nblocks)
	s.pos = s.records + s.fixed(index+goinstrUFixed*(i/goinstrUBlock))
	line := 0
	prev := ""
	for k := i % goinstrUBlock; k >= 0 && !s.bad; k-- {
		s.op = s.num()
		file := s.num()
		d := s.num()
		line += d>>1 ^ -(d & 1)
		s.col = s.num()
		expr := s.exprOf(prev)
		from := s.num()
		to := s.num()
		next := s.num()
		prev = expr
		if k == 0 && !s.bad {
			s.line = line
			s.file = s.str(file)
			s.expr = expr
			if from > 0 {
				s.from = s.str(from - 1)
			}
			if to > 0 {
				s.to = s.str(to - 1)
			}
			s.next = next
		}
	}
	return !s.bad && s.op >= 0 && s.op < len(goinstrUOps)
}
