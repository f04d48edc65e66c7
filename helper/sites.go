// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

package main

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode/utf8"
)

// What a site is, which decides how it is wrapped (edits.go).
type kind int

const (
	kFrom     kind = iota // T(x), x's type has underlying unsafe.Pointer
	kTo                   // T(x), T has underlying unsafe.Pointer, x's type not
	kLen                  // unsafe.Add, Slice, String: the integer operand carries the tap
	kData                 // unsafe.SliceData, StringData
	kConst                // unsafe.Sizeof, Alignof, Offsetof: constants, never wrapped
	kCgo                  // a call into C
	kAsm                  // a function whose body is not Go
	kLinkname             // a //go:linkname pull of another package's symbol
)

// A site: an unsafe operation, or a place goinstr cannot see into.
type site struct {
	in       *input
	kind     kind
	op       string
	call     *ast.CallExpr // the operation (kFrom ... kConst)
	pos      token.Position
	expr     string
	from, to string
	operand  ast.Expr // kFrom: x; kLen: the integer operand
	exact    bool     // kTo: T is unsafe.Pointer itself (no conversion back needed);
	// kFrom: x's type is (unsafe.Add takes x as it is)
	v117  bool     // the file's language has unsafe.Add (go1.17)
	v120  bool     // and unsafe.SliceData (go1.20)
	top   ast.Node // the top-level declaration it is in
	why   string   // not wrapped: the reason; wrapped: how
	blind bool     // not wrapped, and it runs: a blind spot
	wrap  bool     // wrapped (decide)
	slot  int
	into  *site // absorbed: its event is logged by this site's tap
	next  *site // the next site an absorbing site's first hit logs
	dense bool  // its declaration has many taps: the out-of-line wrapper
}

// siteOut is a site as printed.
type siteOut struct {
	In      int    `json:"in"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Op      string `json:"op"`
	Expr    string `json:"expr"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	Wrapped bool   `json:"wrapped"`
	Blind   bool   `json:"blind,omitempty"`
	Reason  string `json:"reason"`
	Slot    int    `json:"slot"`
	Next    int    `json:"next"`
}

func (s *site) out() *siteOut {
	o := &siteOut{In: s.in.index, File: s.pos.Filename, Line: s.pos.Line, Col: s.pos.Column,
		Op: s.op, Expr: s.expr, From: s.from, To: s.to, Wrapped: s.wrap,
		Blind: s.blind, Reason: s.why, Slot: s.slot, Next: -1}
	if s.next != nil {
		o.Next = s.next.slot
	}
	return o
}

// A plan: the sites of one package and how each is wrapped.
type plan struct {
	fset   *token.FileSet
	info   *types.Info
	pkg    *types.Package
	lang   string
	sites  []*site
	nslots int
	byCall map[*ast.CallExpr]*site
}

const maxExpr = 120 // bytes of source text kept per site

// text is the source of n, cut on a UTF-8 boundary.
func (in *input) text(n ast.Node) string {
	a, b := in.tok.Offset(n.Pos()), in.tok.Offset(n.End())
	t := in.src[a:b]
	if len(t) > maxExpr {
		k := maxExpr
		for k > 0 && !utf8.RuneStart(t[k]) {
			k--
		}
		t = t[:k]
	}
	return string(t)
}

func qualifier(p *types.Package) string { return p.Name() }

// typeString is t as go/types writes it, qualified by package names,
// with cgo's names for C's types (_Ctype_int) as the source writes them
// (C.int).
func typeString(t types.Type) string {
	if t == nil {
		return ""
	}
	s := types.TypeString(t, qualifier)
	for {
		i := strings.Index(s, "._Ctype_")
		if i < 0 {
			return s
		}
		j := i
		for j > 0 && (isIdent(s[j-1])) {
			j--
		}
		s = s[:j] + "C." + s[i+len("._Ctype_"):]
	}
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
		c >= 0x80
}

// unsafeLike reports whether t's underlying type is unsafe.Pointer: for a
// type parameter, whether every type of its type set's is (mixed is true
// too: some instantiation converts an unsafe.Pointer).
func unsafeLike(t types.Type) (yes, mixed bool) {
	if t == nil {
		return false, false
	}
	tp, ok := t.(*types.TypeParam)
	if !ok {
		b, ok := t.Underlying().(*types.Basic)
		return ok && b.Kind() == types.UnsafePointer, false
	}
	n, u := 0, 0
	iface, _ := tp.Constraint().Underlying().(*types.Interface)
	for i := 0; iface != nil && i < iface.NumEmbeddeds(); i++ {
		terms := []types.Type{iface.EmbeddedType(i)}
		if un, ok := iface.EmbeddedType(i).(*types.Union); ok {
			terms = terms[:0]
			for j := 0; j < un.Len(); j++ {
				terms = append(terms, un.Term(j).Type())
			}
		}
		for _, term := range terms {
			n++
			if y, _ := unsafeLike(term); y {
				u++
			}
		}
	}
	return u > 0, u > 0 && u < n
}

// unsafeBuiltin is the name of package unsafe's function that call calls, or "".
func (p *plan) unsafeBuiltin(call *ast.CallExpr) string {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return ""
	}
	b, ok := p.info.Uses[id].(*types.Builtin)
	if !ok || types.Unsafe.Scope().Lookup(b.Name()) != types.Object(b) {
		return ""
	}
	return b.Name()
}

// atLeast reports whether language version v is go1.minor or later.
func atLeast(v string, minor int) bool {
	if v == "" {
		return true // no version: the toolchain's own
	}
	rest, ok := strings.CutPrefix(v, "go1.")
	if !ok {
		return true
	}
	n := 0
	for _, c := range rest {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n >= minor
}

// directives returns the //go: directive lines of a comment group.
func directives(g *ast.CommentGroup) []string {
	var d []string
	if g != nil {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, "//go:") {
				d = append(d, c.Text)
			}
		}
	}
	return d
}

// findSites records the sites of one file, in source order.
func (p *plan) findSites(in *input) {
	if p.byCall == nil {
		p.byCall = map[*ast.CallExpr]*site{}
	}
	version := p.info.FileVersions[in.file]
	if version == "" {
		version = p.lang
	}
	v117, v120 := atLeast(version, 17), atLeast(version, 20)
	// The rewritten copy names its original in a line directive.
	if name := p.fset.Position(in.file.Package).Filename; !newlineFree(name) ||
		strings.Contains(name, "*/") {
		in.skip = "its file name cannot be written in a line directive: not wrapped"
	}
	linknamed := map[string]bool{}
	if in.rewrite {
		for _, g := range in.file.Comments {
			for _, c := range g.List {
				p.linkname(in, c, linknamed)
			}
		}
	}
	var stack []ast.Node
	var never []bool // never[i]: stack[i] is never evaluated (a constant...)
	var top ast.Node
	nosplit := false
	ast.Inspect(in.file, func(n ast.Node) bool {
		if n == nil {
			if _, ok := stack[len(stack)-1].(*ast.FuncLit); ok {
				nosplit = false // a function literal is a function of its own
			}
			stack, never = stack[:len(stack)-1], never[:len(never)-1]
			if len(stack) == 1 {
				top, nosplit = nil, false
			}
			return true
		}
		if len(stack) == 1 {
			top = n
			if fd, ok := n.(*ast.FuncDecl); ok {
				for _, d := range directives(fd.Doc) {
					nosplit = nosplit || d == "//go:nosplit"
				}
				if fd.Body == nil && in.rewrite && !linknamed[fd.Name.Name] {
					p.add(in, fd, kAsm, "asm", top, "its body is not Go (assembly, or "+
						"provided elsewhere): not instrumented", true)
				}
			}
		}
		unevaluated := len(never) > 0 && never[len(never)-1]
		if call, ok := n.(*ast.CallExpr); ok {
			p.call(in, call, unevaluated, top, nosplit, v117, v120)
		}
		stack, never = append(stack, n), append(never, unevaluated || p.constant(n))
		return true
	})
}

// linkname records a //go:linkname that pulls another package's symbol.
func (p *plan) linkname(in *input, c *ast.Comment, linknamed map[string]bool) {
	f := strings.Fields(c.Text)
	if len(f) < 3 || f[0] != "//go:linkname" {
		return
	}
	linknamed[f[1]] = true
	target := f[2]
	pkg := target
	if dot := strings.LastIndex(target, "."); dot > strings.LastIndex(target, "/") {
		pkg = target[:dot]
	}
	blind := pkg == "runtime" || strings.HasPrefix(pkg, "runtime/") || pkg == "reflect" ||
		pkg == "internal/reflectlite" || pkg == "internal/abi"
	why := "linkname pull: reaches another package's internals"
	if blind {
		why = "linkname pull into " + pkg + ": what it does there is not instrumented"
	}
	s := p.add(in, c, kLinkname, "go:linkname", nil, why, blind)
	s.expr = c.Text
	if len(s.expr) > maxExpr {
		s.expr = in.text(c)
	}
}

// add records a site that is not wrapped (yet: decide wraps the others).
func (p *plan) add(in *input, n ast.Node, k kind, op string, top ast.Node, why string,
	blind bool) *site {
	s := &site{in: in, kind: k, op: op, pos: p.fset.Position(n.Pos()), expr: in.text(n),
		top: top, why: why, blind: blind, slot: -1}
	s.call, _ = n.(*ast.CallExpr)
	p.sites = append(p.sites, s)
	return s
}

// call records call if it is an unsafe operation or a call into C.
func (p *plan) call(in *input, call *ast.CallExpr, unevaluated bool, top ast.Node,
	nosplit, v117, v120 bool) {
	var s *site
	if !in.rewrite {
		return // the go command's own code (cgo's glue) is not the package's
	}
	if tv, ok := p.info.Types[call.Fun]; ok && tv.IsType() {
		if len(call.Args) != 1 {
			return
		}
		x := call.Args[0]
		xt := p.info.Types[x].Type
		from, fmix := unsafeLike(xt)
		to, tmix := unsafeLike(tv.Type)
		if !from && !to {
			return
		}
		k := kFrom
		if !from {
			k = kTo
		}
		s = p.add(in, call, k, "unsafe.Pointer", top, "", false)
		s.from, s.to = typeString(xt), typeString(tv.Type)
		s.operand = x
		if k == kFrom {
			s.exact = types.Identical(xt, types.Typ[types.UnsafePointer])
		} else {
			s.exact = types.Identical(tv.Type, types.Typ[types.UnsafePointer])
		}
		if k == kTo && !s.exact && !newlineFree(in.text(call.Fun)) {
			s.why, s.blind = "a conversion whose type spans lines: not wrapped", true
		}
		if fmix || tmix {
			s.why, s.blind = "a conversion through a type parameter whose types are "+
				"not all unsafe.Pointer: not wrapped", true
		}
	} else if name := p.unsafeBuiltin(call); name != "" {
		switch name {
		case "Sizeof", "Alignof", "Offsetof":
			p.add(in, call, kConst, "unsafe."+name, top,
				"constant: evaluated at compile time, never wrapped", false)
			return
		case "Add", "Slice", "String":
			s = p.add(in, call, kLen, "unsafe."+name, top, "", false)
			s.operand = call.Args[1]
		case "SliceData", "StringData":
			s = p.add(in, call, kData, "unsafe."+name, top, "", false)
		default:
			return
		}
		s.to = typeString(p.info.Types[call].Type)
	} else if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok &&
		(strings.HasPrefix(id.Name, "_Cfunc_") || strings.HasPrefix(id.Name, "_C2func_")) {
		p.add(in, call, kCgo, "cgo", top, "a call into C: what the C code does is not "+
			"instrumented", true)
		return
	} else {
		return
	}
	s.v117, s.v120 = v117, v120
	switch {
	case s.why != "":
	case in.skip != "":
		s.why, s.blind = in.skip, in.rewrite
	case unevaluated:
		s.why = "never evaluated: inside a constant expression or unsafe.Sizeof"
	case nosplit:
		s.why, s.blind = "inside a //go:nosplit function: no calls added there", true
	}
	p.byCall[call] = s
}

// constant reports whether what is below n is never evaluated: n is
// a constant expression (the length of an array, a constant's value), or
// a call of unsafe.Sizeof, Alignof or Offsetof (also when not constant,
// for a type parameter's variable size).
func (p *plan) constant(n ast.Node) bool {
	e, ok := n.(ast.Expr)
	if !ok {
		return false
	}
	if tv, ok := p.info.Types[e]; ok && tv.Value != nil {
		return true
	}
	if c, ok := e.(*ast.CallExpr); ok {
		switch p.unsafeBuiltin(c) {
		case "Sizeof", "Alignof", "Offsetof":
			return true
		}
	}
	return false
}

// decide wraps every site that runs and can be wrapped: a site whose
// call is the direct operand of another wrapped site's is absorbed by
// it (both always run together: one tap logs both), the others get a
// tap of their own; then slots are numbered in source order and
// declarations with many taps use the out-of-line wrapper.
func (p *plan) decide() {
	wrappable := func(s *site) bool {
		return s != nil && s.why == "" && s.kind <= kData
	}
	for _, s := range p.sites {
		if !wrappable(s) {
			continue
		}
		s.wrap = true
		for _, a := range s.call.Args {
			if c, ok := ast.Unparen(a).(*ast.CallExpr); ok && wrappable(p.byCall[c]) {
				p.byCall[c].into = s
			}
		}
	}
	taps := map[ast.Node]int{}
	last := map[*site]*site{}
	for _, s := range p.sites {
		if !s.wrap {
			continue
		}
		s.slot = p.nslots
		p.nslots++
		if s.into == nil {
			s.why = "wrapped: logged when it runs"
			taps[s.top]++
			continue
		}
		// Absorbed: chained, in slot order, to the site whose tap logs it.
		s.why = "wrapped: logged with the operation it is an operand of"
		root := s.into
		for root.into != nil {
			root = root.into
		}
		if l := last[root]; l != nil {
			l.next = s
		} else {
			root.next = s
		}
		last[root] = s
	}
	for _, s := range p.sites {
		s.dense = taps[s.top] > denseTaps
	}
}
