// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// Command goinstr-types finds the unsafe operations of one Go package by
// their types and plans the edits that wrap them. goinstr's compile shim
// runs it for each package it rewrites (src/cmd_toolexec.c), with the
// compile's own -importcfg: the package's files are parsed with go/parser
// and type-checked with go/types, importing the export data the compiler
// itself would read, the way go vet's unitchecker type-checks a package.
// It is built by goinstr with the toolchain that compiles (once per Go
// release), so its parser and type checker are that release's.
//
// Usage:
//
//	goinstr-types -importcfg FILE [-lang goX.Y] [-list] MODE=PATH...
//
// MODE r: a source file of the package whose sites are wrapped; c: a file
// the go command generated (cgo's glue), type-checked only. GOARCH (else
// this program's own) gives the sizes.
//
// It prints JSON Lines on standard output, in this order: one "site"
// object per site in source order (files in argument order), then one
// "edit" object per insertion in the order to apply them, or a single
// "error" object when the package does not parse or type-check (the
// caller then compiles it as written and says so). docs/unsafe.md says
// what counts as an unsafe operation and how each is wrapped.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
)

func main() {
	importcfg := flag.String("importcfg", "", "the compile's import configuration")
	lang := flag.String("lang", "", "the package's language version (the compile's -lang)")
	list := flag.Bool("list", false, "sites only, no edits")
	flag.Parse()
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	err := run(out, *importcfg, *lang, *list, flag.Args())
	if err != nil {
		writeJSON(out, struct {
			Error string `json:"error"`
		}{err.Error()})
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "goinstr-types: %v\n", err)
		os.Exit(2)
	}
}

// input is one file of the package.
type input struct {
	index   int
	path    string
	rewrite bool   // a source file (else generated: checked only)
	skip    string // why its sites are not wrapped, or ""
	src     []byte
	file    *ast.File
	tok     *token.File
}

func run(w io.Writer, importcfg, lang string, list bool, args []string) error {
	fset := token.NewFileSet()
	ins, err := loadFiles(fset, args)
	if err != nil || len(ins) == 0 {
		return err
	}
	imp, err := newImporter(fset, importcfg)
	if err != nil {
		return err
	}
	p, err := check(fset, ins, imp, lang)
	if err != nil {
		return err
	}
	p.write(w, list)
	return nil
}

// loadFiles parses the MODE=PATH arguments.
func loadFiles(fset *token.FileSet, args []string) ([]*input, error) {
	var ins []*input
	for _, a := range args {
		mode, path, ok := strings.Cut(a, "=")
		if !ok || (mode != "r" && mode != "c") {
			return nil, fmt.Errorf("bad file argument %q (want r=PATH or c=PATH)", a)
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		in, err := parse(fset, len(ins), path, src, mode == "r")
		if err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	return ins, nil
}

func parse(fset *token.FileSet, index int, path string, src []byte, rewrite bool) (*input, error) {
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	return &input{index: index, path: path, rewrite: rewrite, src: src, file: f,
		tok: fset.File(f.Pos())}, nil
}

// check type-checks the package's files and plans its taps.
func check(fset *token.FileSet, ins []*input, imp types.Importer, lang string) (*plan, error) {
	goarch := os.Getenv("GOARCH")
	if goarch == "" {
		goarch = runtime.GOARCH
	}
	conf := types.Config{
		Importer:  imp,
		GoVersion: lang,
		Sizes:     types.SizesFor("gc", goarch),
	}
	var firstErr error
	conf.Error = func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Uses:         make(map[*ast.Ident]types.Object),
		FileVersions: make(map[*ast.File]string),
	}
	files := make([]*ast.File, len(ins))
	for i, in := range ins {
		files[i] = in.file
	}
	pkg, _ := conf.Check(ins[0].file.Name.Name, fset, files, info)
	if firstErr != nil {
		return nil, firstErr
	}
	p := &plan{fset: fset, info: info, pkg: pkg, lang: lang}
	for _, in := range ins {
		p.findSites(in)
	}
	// In source order: the comments' records (linkname) were found first.
	sort.SliceStable(p.sites, func(i, j int) bool {
		a, b := p.sites[i], p.sites[j]
		if a.in.index != b.in.index {
			return a.in.index < b.in.index
		}
		return a.pos.Offset < b.pos.Offset
	})
	p.decide()
	return p, nil
}

// write prints the plan: the package, its sites, and unless list its edits.
func (p *plan) write(w io.Writer, list bool) {
	type name struct {
		Name string `json:"name"`
	}
	writeJSON(w, struct {
		Package name `json:"package"`
	}{name{p.pkg.Name()}})
	for _, s := range p.sites {
		writeJSON(w, struct {
			Site *siteOut `json:"site"`
		}{s.out()})
	}
	if list {
		return
	}
	for _, e := range p.edits() {
		writeJSON(w, struct {
			Edit *edit `json:"edit"`
		}{e})
	}
}

func writeJSON(w io.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain structs are written
	}
	w.Write(append(b, '\n'))
}

// newImporter reads export data as the compiler would: the import
// configuration maps each import path (through its importmap lines, for
// vendored packages) to the archive the go command built for it.
func newImporter(fset *token.FileSet, cfg string) (types.Importer, error) {
	files := map[string]string{}
	remap := map[string]string{}
	if cfg != "" {
		data, err := os.ReadFile(cfg)
		if err != nil {
			return nil, err
		}
		for i, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			verb, args, _ := strings.Cut(line, " ")
			before, after, ok := strings.Cut(args, "=")
			switch verb {
			case "packagefile":
				if ok {
					files[before] = after
				}
			case "importmap":
				if ok {
					remap[before] = after
				}
			case "packageshlib", "modinfo":
			default:
				return nil, fmt.Errorf("%s:%d: unknown directive %q", cfg, i+1, verb)
			}
		}
	}
	lookup := func(path string) (io.ReadCloser, error) {
		f, ok := files[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q in the import configuration", path)
		}
		return os.Open(f)
	}
	return mapImporter{importer.ForCompiler(fset, "gc", lookup).(types.ImporterFrom), remap}, nil
}

// mapImporter applies the configuration's importmap lines: source code
// imports "x", the vendored package is "vendor/x" or "m/vendor/x".
type mapImporter struct {
	types.ImporterFrom
	remap map[string]string
}

func (m mapImporter) Import(path string) (*types.Package, error) {
	return m.ImportFrom(path, "", 0)
}

func (m mapImporter) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	if to, ok := m.remap[path]; ok {
		path = to
	}
	return m.ImporterFrom.ImportFrom(path, dir, mode)
}
