// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The declarations goinstr's wrapper file gives a package (src/rwunsafe.c
// writes the real one): enough to type-check a rewrite.
const standIn = `package %s

import goinstr_unsafe "unsafe"

var goinstrUDone [%d]uint32

type (
	goinstrByte    = byte
	goinstrUintptr = uintptr
)

var _ goinstr_unsafe.Pointer

func goinstrU0(d *uint32) uintptr  { return 0 }
func goinstrU0C(d *uint32) uintptr { return 0 }
`

// apply inserts the edits of input in into src.
func apply(src []byte, es []*edit, in int) []byte {
	var b bytes.Buffer
	pos := 0
	for _, e := range es {
		if e.In != in {
			continue
		}
		b.Write(src[pos:e.Off])
		b.WriteString(e.Text)
		pos = e.Off
	}
	b.Write(src[pos:])
	return b.Bytes()
}

// planFile plans the taps of a one-file package; "// lang: goX.Y" on its
// first line sets its language version; "// requires: go1.N" skips it on
// an older Go.
func planFile(t *testing.T, name string, src []byte) *plan {
	t.Helper()
	lang := ""
	if l, ok := bytes.CutPrefix(src, []byte("// lang: ")); ok {
		lang = string(l[:bytes.IndexByte(l, '\n')])
	}
	if l, ok := bytes.CutPrefix(src, []byte("// requires: go1.")); ok {
		var need, have int
		fmt.Sscan(string(l), &need)
		fmt.Sscanf(runtime.Version(), "go1.%d", &have)
		if have < need {
			t.Skipf("needs Go 1.%d", need)
		}
	}
	fset := token.NewFileSet()
	in, err := parse(fset, 0, name, src, true)
	if err != nil {
		t.Fatal(err)
	}
	p, err := check(fset, []*input{in}, importer.ForCompiler(fset, "gc", nil), lang)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGolden: each fixture of testdata/ rewritten, with its sites, as its
// .golden file has it (UPDATE_GOLDEN=1 writes them; review the diff). The
// rewrite keeps every line, parses, and type-checks with the wrapper
// file's declarations.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.go")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p := planFile(t, f, src)
			out := apply(src, p.edits(), 0)
			if bytes.Count(out, []byte("\n")) != bytes.Count(src, []byte("\n")) {
				t.Errorf("the rewrite moved lines")
			}
			checkRewrite(t, f, p, out)
			var b bytes.Buffer
			b.Write(out)
			b.WriteString("\n// ---- sites ----\n")
			for _, s := range p.sites {
				fmt.Fprintf(&b, "// %d:%d %s %q from=%q to=%q wrapped=%v blind=%v slot=%d next=%d: %s\n",
					s.pos.Line, s.pos.Column, s.op, s.expr, s.from, s.to, s.wrap, s.blind,
					s.slot, s.out().Next, s.why)
			}
			golden := f + ".golden"
			if os.Getenv("UPDATE_GOLDEN") != "" {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from its golden file (UPDATE_GOLDEN=1 to see)", f)
			}
		})
	}
}

// checkRewrite type-checks a rewritten file with the wrapper file's
// declarations: the taps are valid Go of the same types.
func checkRewrite(t *testing.T, name string, p *plan, out []byte) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, out, parser.ParseComments)
	if err != nil {
		t.Fatalf("the rewrite does not parse: %v", err)
	}
	sup, err := parser.ParseFile(fset, "zz_goinstr_unsafe.go",
		fmt.Sprintf(standIn, p.pkg.Name(), p.nslots+1), 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil), GoVersion: p.lang}
	if _, err := conf.Check(p.pkg.Name(), fset, []*ast.File{f, sup}, nil); err != nil {
		t.Errorf("the rewrite does not type-check: %v", err)
	}
}

// TestSiteKinds: what counts as an unsafe operation (docs/unsafe.md), on
// small programs, by kind.
func TestSiteKinds(t *testing.T) {
	cases := []struct {
		src  string
		want string // the sites' ops and wrapped, in order
	}{
		{"var x int; var p = unsafe.Pointer(&x)", "unsafe.Pointer+"},
		{"func f(p unsafe.Pointer) *int { return (*int)(p) }", "unsafe.Pointer+"},
		{"type P unsafe.Pointer; func f(p P) uintptr { return uintptr(p) }", "unsafe.Pointer+"},
		{"func f(p unsafe.Pointer) P2 { return P2(p) }; type P2 unsafe.Pointer", "unsafe.Pointer+"},
		{"func f(p *int) unsafe.Pointer { return unsafe.Pointer(p) }", "unsafe.Pointer+"},
		{"func f() unsafe.Pointer { return nil }", ""},
		{"func f(p *int) *int { return (*int)(p) }", ""},
		{"func f(u uintptr) uintptr { return uintptr(u) }", ""},
		{"var n = unsafe.Sizeof(0)", "unsafe.Sizeof-"},
		{"func f(p unsafe.Pointer) uintptr { return unsafe.Sizeof(*(*int)(p)) }",
			"unsafe.Sizeof- unsafe.Pointer-"},
		{"func f(p unsafe.Pointer) unsafe.Pointer { return unsafe.Add(p, 1) }", "unsafe.Add+"},
		{"func f(b []byte) *byte { return unsafe.SliceData(b) }", "unsafe.SliceData+"},
		{"func f[T ~unsafe.Pointer](p T) *int { return (*int)(p) }", "unsafe.Pointer+"},
		{"func f[T ~unsafe.Pointer | ~uintptr](p T) uintptr { return uintptr(p) }", "unsafe.Pointer-"},
	}
	for _, c := range cases {
		src := "package k\n\nimport \"unsafe\"\n\nvar _ unsafe.Pointer\n\n" + c.src + "\n"
		p := planFile(t, "k.go", []byte(src))
		var got []string
		for _, s := range p.sites {
			mark := "-"
			if s.wrap {
				mark = "+"
			}
			got = append(got, s.op+mark)
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s: sites %q, want %q", c.src, g, c.want)
		}
	}
}

// TestGOROOT plans the taps of every package of the standard library as
// if it were user code (a corpus of real code, GOINSTR_TEST_GOROOT=1):
// every rewrite keeps its lines and type-checks.
func TestGOROOT(t *testing.T) {
	if os.Getenv("GOINSTR_TEST_GOROOT") == "" {
		t.Skip("GOINSTR_TEST_GOROOT=1 runs it")
	}
	root := runtime.GOROOT()
	var n, sites int
	filepath.WalkDir(filepath.Join(root, "src"), func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if b := d.Name(); b == "testdata" || b == "vendor" || strings.HasPrefix(path, filepath.Join(root, "src", "cmd")) {
			return filepath.SkipDir
		}
		n++
		sites += planDir(t, path)
		return nil
	})
	t.Logf("%d directories, %d sites", n, sites)
}

// planDir plans the non-test files of one directory (one package), if
// they type-check without build constraints' help (else skipped).
func planDir(t *testing.T, dir string) int {
	names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := token.NewFileSet()
	var ins []*input
	pkg := ""
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil || (pkg != "" && f.Name.Name != pkg) || !buildable(name, src) {
			continue
		}
		pkg = f.Name.Name
		in, err := parse(fset, len(ins), name, src, true)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		ins = append(ins, in)
	}
	if len(ins) == 0 {
		return 0
	}
	p, err := check(fset, ins, importer.ForCompiler(fset, "gc", nil), "")
	if err != nil {
		return 0 // a package of another platform's, or one with ignored files
	}
	es := p.edits()
	for _, in := range ins {
		out := apply(in.src, es, in.index)
		if bytes.Count(out, []byte("\n")) != bytes.Count(in.src, []byte("\n")) {
			t.Errorf("%s: the rewrite moved lines", in.path)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), in.path, out, 0); err != nil {
			t.Errorf("%s: the rewrite does not parse: %v", in.path, err)
		}
	}
	return len(p.sites)
}

// buildable: no build constraint, or one this platform satisfies by name.
func buildable(name string, src []byte) bool {
	base := strings.TrimSuffix(filepath.Base(name), ".go")
	for _, part := range strings.Split(base, "_")[1:] {
		if (part != runtime.GOOS && isOS(part)) || (part != runtime.GOARCH && isArch(part)) {
			return false
		}
	}
	return !bytes.Contains(src, []byte("//go:build "))
}

func isOS(s string) bool {
	switch s {
	case "aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux",
		"netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "unix":
		return true
	}
	return false
}

func isArch(s string) bool {
	switch s {
	case "386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le",
		"ppc64", "ppc64le", "riscv64", "s390x", "wasm":
		return true
	}
	return false
}
