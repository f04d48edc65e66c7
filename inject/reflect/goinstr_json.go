// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// JSON encoding without encoding/json (out of reflect's reach): strings
// that may hold any byte, RFC 3339 times from the wall clock's seconds and
// nanoseconds, addresses (keyed per process when redacted) and frames.
//
// Pure: uses nothing of package reflect (see goinstr_log.go).

package reflect

import (
	"runtime"
	"strconv"
	"unicode/utf8"
)

// goinstrHashHex appends the first 16 hex digits of SHA-256(key || b).
func goinstrHashHex(dst []byte, key []byte, b []byte) []byte {
	buf := make([]byte, 0, len(key)+len(b))
	buf = append(append(buf, key...), b...)
	sum := goinstrSum256(buf)
	for _, c := range sum[:8] {
		dst = append(dst, goinstrHex[c>>4], goinstrHex[c&15])
	}
	return dst
}

func goinstrAppendAddr(b []byte, p uintptr) []byte {
	if goinstrRedactAddrs && p != 0 {
		// Keyed per process: equal addresses stay equal, nothing of the
		// address itself is shown.
		var a [8]byte
		for i := range a {
			a[i] = byte(p >> (8 * i))
		}
		b = append(b, `"k:`...)
		b = goinstrHashHex(b, goinstrAddrKey[:], a[:])
		return append(b, '"')
	}
	b = append(b, `"0x`...)
	b = strconv.AppendUint(b, uint64(p), 16)
	return append(b, '"')
}

// goinstrAppendFrame appends f as {func,file,line}, its strings cut at
// lim bytes.
func goinstrAppendFrame(b []byte, f *runtime.Frame, lim int) []byte {
	b = append(b, `{"func":`...)
	b = goinstrAppendString(b, f.Function, lim)
	b = append(b, `,"file":`...)
	b = goinstrAppendString(b, goinstrShowPath(f.File), lim)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(f.Line), 10)
	return append(b, '}')
}

const goinstrHex = "0123456789abcdef"

// goinstrAppendString appends s, cut to at most max bytes on a rune
// boundary, as a JSON string. Invalid UTF-8 becomes U+FFFD and control
// characters are escaped, so any bytes give valid JSON.
func goinstrAppendString(b []byte, s string, max int) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if i+1 > max {
				break
			}
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', goinstrHex[c>>4], goinstrHex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if i+size > max {
			break
		}
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// goinstrAppendNow appends the wall clock's time (goinstrAppendTime).
func goinstrAppendNow(b []byte) []byte {
	sec, nsec := goinstrWalltime()
	return goinstrAppendTime(b, sec, nsec)
}

// goinstrAppendTime appends the time sec seconds and nsec nanoseconds
// after the Unix epoch as RFC 3339 UTC with nanoseconds
// (2006-01-02T15:04:05.000000000Z), without package time.
func goinstrAppendTime(b []byte, sec int64, nsec int32) []byte {
	days := sec / 86400
	rem := sec % 86400
	if rem < 0 {
		rem += 86400
		days--
	}
	// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	b = goinstrAppendDigits(b, y, 4)
	b = append(b, '-')
	b = goinstrAppendDigits(b, m, 2)
	b = append(b, '-')
	b = goinstrAppendDigits(b, d, 2)
	b = append(b, 'T')
	b = goinstrAppendDigits(b, rem/3600, 2)
	b = append(b, ':')
	b = goinstrAppendDigits(b, rem/60%60, 2)
	b = append(b, ':')
	b = goinstrAppendDigits(b, rem%60, 2)
	b = append(b, '.')
	b = goinstrAppendDigits(b, int64(nsec), 9)
	return append(b, 'Z')
}

func goinstrAppendDigits(b []byte, x int64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for x > 0 || width > 0 {
		i--
		buf[i] = byte('0' + x%10)
		x /= 10
		width--
	}
	return append(b, buf[i:]...)
}
