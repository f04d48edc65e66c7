// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

package main

import (
	"fmt"
	"go/ast"
	"sort"
	"strings"
)

// An edit inserts text at a byte offset of input In (the caller applies
// them in the order given; none ever removes a byte). Every text ends
// with a line directive restoring the position of the byte after it,
// and none holds a newline: every line and column of the source keeps
// its position.
type edit struct {
	In   int    `json:"in"`
	Off  int    `json:"off"`
	Text string `json:"text"`
}

// denseTaps: a declaration with more taps than this calls the tap out
// of line (goinstrU0C) instead of inlining its check at every tap:
// transpiled C (modernc.org/libc, sqlite) has functions with hundreds,
// where an inlined check's slow path (spilling every live register
// around its call) costs more code, and compile time, than the call. 8
// keeps the sqlite binary within 1.5 times a plain one's (measured at 4,
// 8, 12, 16 and all inlined: docs/performance.md).
const denseTaps = 8

// The tap: a call that reads nothing of the program, combined with the
// operation's own operand or result by an identity the compiler folds
// away (docs/unsafe.md). The call is evaluated among the statement's
// calls, the operands where gc evaluates them: no read moves.
func (s *site) u0() string {
	name := "goinstrU0"
	if s.dense {
		name += "C"
	}
	return fmt.Sprintf("%s(&goinstrUDone[%d])", name, s.slot)
}

// ptap is the identity on an unsafe.Pointer expression, split around it.
// From go1.20 a zero-length slice made at the pointer and read back: no
// arithmetic (checkptr sees none), and with the tap inlined its 0 is a
// constant the compiler folds the whole away with. Where the tap is
// called out of line (dense declarations) its 0 is unknown and the
// slice's checks would stay: there, and before go1.20, a zero added, as
// unsafe.Add (go1.17) or a round trip through uintptr (as code before it
// writes unsafe.Pointer(uintptr(p) + off)); checkptr checks that as
// arithmetic (docs/unsafe.md).
func (s *site) ptap() (pre, post string) {
	switch {
	case s.v120 && !s.dense:
		return "goinstr_unsafe.Pointer(goinstr_unsafe.SliceData(goinstr_unsafe.Slice((*goinstrByte)(",
			")," + s.u0() + ")))"
	case s.v117:
		return "goinstr_unsafe.Add(", "," + s.u0() + ")"
	}
	return "goinstr_unsafe.Pointer(goinstrUintptr(", ")+" + s.u0() + ")"
}

// tap returns the node whose source the tap surrounds and the texts put
// before and after it, and whether they name package unsafe.
func (s *site) tap() (around ast.Node, pre, post string, imp bool) {
	switch s.kind {
	case kFrom: // T(x) -> T(P(x)), x made an unsafe.Pointer for unsafe.Add
		pre, post = s.ptap()
		if !s.exact && strings.HasPrefix(pre, "goinstr_unsafe.Add(") {
			pre, post = pre+"goinstr_unsafe.Pointer(", ")"+post
		}
		return s.operand, pre, post, true
	case kTo: // T(x) -> P(T(x)), or T(P(unsafe.Pointer(T(x)))) for a T of its own
		pre, post = s.ptap()
		if !s.exact {
			t := s.in.text(s.call.Fun)
			pre = t + "(" + pre + "goinstr_unsafe.Pointer("
			post = ")" + post + ")"
		}
		return s.call, pre, post, true
	case kLen: // unsafe.Add(p, n) -> unsafe.Add(p, (n<<0)), the 0 from the tap
		return s.operand, "(", "<<" + s.u0() + ")", false
	case kData: // unsafe.SliceData(v) -> SliceData(Slice(unsafe.SliceData(v), 0))
		return s.call, "goinstr_unsafe.SliceData(goinstr_unsafe.Slice(", "," + s.u0() + "))", true
	}
	panic("no tap for " + s.op)
}

// edits plans every insertion, file by file.
func (p *plan) edits() []*edit {
	var all []*edit
	taps := map[*ast.CallExpr]*site{}
	files := map[*input]bool{}
	for _, s := range p.sites {
		if s.wrap && s.into == nil {
			taps[s.call] = s
			files[s.in] = true
		}
	}
	seen := map[*input]bool{}
	for _, s := range p.sites {
		if in := s.in; files[in] && !seen[in] {
			seen[in] = true
			all = append(all, p.fileEdits(in, taps)...)
		}
	}
	return all
}

// fileEdits: the taps' texts in walk order (an outer tap's opening text
// before an inner one's at the same offset, its closing text after),
// then stably by offset; the file's first line directive and, if a tap
// names it, the import of package unsafe come first.
func (p *plan) fileEdits(in *input, taps map[*ast.CallExpr]*site) []*edit {
	var es []*edit
	imp := false
	var closers []*edit
	var stack []ast.Node
	ast.Inspect(in.file, func(n ast.Node) bool {
		if n == nil {
			n, stack = stack[len(stack)-1], stack[:len(stack)-1]
			if c, ok := n.(*ast.CallExpr); ok && taps[c] != nil {
				es = append(es, closers[len(closers)-1])
				closers = closers[:len(closers)-1]
			}
			return true
		}
		stack = append(stack, n)
		if c, ok := n.(*ast.CallExpr); ok && taps[c] != nil {
			around, pre, post, names := taps[c].tap()
			imp = imp || names
			es = append(es, p.insert(in, in.tok.Offset(around.Pos()), pre))
			closers = append(closers, p.insert(in, in.tok.Offset(around.End()), post))
		}
		return true
	})
	sort.SliceStable(es, func(i, j int) bool { return es[i].Off < es[j].Off })
	pkg := in.tok.Offset(in.file.Package)
	pos := p.fset.Position(in.file.Package)
	head := []*edit{{In: in.index, Off: pkg, Text: fmt.Sprintf("/*line %s:%d:%d*/",
		pos.Filename, pos.Line, pos.Column)}}
	if imp {
		head = append(head, p.insert(in, in.tok.Offset(in.file.Name.End()),
			"; import goinstr_unsafe \"unsafe\""))
	}
	return append(head, es...)
}

// insert is an edit whose text is followed by the line directive that
// gives the next byte its own position back.
func (p *plan) insert(in *input, off int, text string) *edit {
	pos := p.fset.Position(in.tok.Pos(off))
	return &edit{In: in.index, Off: off, Text: fmt.Sprintf("%s/*line :%d:%d*/", text, pos.Line,
		pos.Column)}
}

// newlineFree reports whether a text can be inserted without moving lines.
func newlineFree(t string) bool { return !strings.ContainsAny(t, "\r\n") }
