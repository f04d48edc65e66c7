// Command gtcount is the ground truth of goinstr's unsafe inventory: it
// counts the unsafe operations of every package outside the standard
// library of a build, by the definition in docs/unsafe.md, written here
// on its own (it shares no code with goinstr-types): every conversion
// whose operand's or result's underlying type is unsafe.Pointer, and
// every call of package unsafe's functions (Add, Slice, SliceData,
// String, StringData, Sizeof, Alignof, Offsetof), in the package's own
// files (cgo's generated glue left out), typed by go/types against the
// export data the go command builds.
//
// Usage (in the module of the build):
//
//	gtcount [go list flags] PACKAGES   prints "IMPORTPATH COUNT" per package
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"strings"
)

type pkg struct {
	ImportPath, Dir, Export string
	Standard                bool
	CompiledGoFiles         []string
	ImportMap               map[string]string
	Module                  *struct{ GoVersion string }
}

func main() {
	args := append([]string{"list", "-deps", "-export", "-compiled", "-json"}, os.Args[1:]...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gtcount: go list:", err)
		os.Exit(2)
	}
	exports := map[string]string{}
	var pkgs []*pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		p := new(pkg)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "gtcount:", err)
			os.Exit(2)
		}
		exports[p.ImportPath] = p.Export
		pkgs = append(pkgs, p)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	failed := false
	for _, p := range pkgs {
		if p.Standard {
			continue
		}
		n, err := count(p, exports)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gtcount: %s: %v\n", p.ImportPath, err)
			failed = true
			continue
		}
		fmt.Fprintf(w, "%s %d\n", p.ImportPath, n)
	}
	if failed {
		w.Flush()
		os.Exit(1)
	}
}

// count type-checks one package and counts its unsafe operations.
func count(p *pkg, exports map[string]string) (int, error) {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range p.CompiledGoFiles {
		if !filepath.IsAbs(name) {
			name = filepath.Join(p.Dir, name)
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return 0, err
		}
		files = append(files, f)
	}
	lookup := func(path string) (io.ReadCloser, error) {
		if e := exports[path]; e != "" {
			return os.Open(e)
		}
		return nil, fmt.Errorf("no export data for %s", path)
	}
	imp := importer.ForCompiler(fset, "gc", lookup).(types.ImporterFrom)
	conf := types.Config{Importer: mapped{imp, p.ImportMap}}
	if p.Module != nil && p.Module.GoVersion != "" {
		v := strings.SplitN(p.Module.GoVersion, ".", 3)
		conf.GoVersion = "go" + strings.Join(v[:min(2, len(v))], ".")
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
	if _, err := conf.Check(p.ImportPath, fset, files, info); err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		ast.Inspect(f, func(x ast.Node) bool {
			c, ok := x.(*ast.CallExpr)
			if !ok || !ownCode(fset, c.Pos(), p.Dir) {
				return true
			}
			if isUnsafeOp(info, c) {
				n++
			}
			return true
		})
	}
	return n, nil
}

// ownCode: the position (as //line directives name it) is in the
// package's directory, not in cgo's glue.
func ownCode(fset *token.FileSet, pos token.Pos, dir string) bool {
	name := fset.Position(pos).Filename
	return filepath.Dir(name) == dir && !strings.HasPrefix(filepath.Base(name), "_cgo_")
}

func isUnsafeOp(info *types.Info, c *ast.CallExpr) bool {
	if tv, ok := info.Types[c.Fun]; ok && tv.IsType() {
		if len(c.Args) != 1 {
			return false
		}
		return pointerish(tv.Type) || pointerish(info.Types[c.Args[0]].Type)
	}
	fun := c.Fun
	for {
		p, ok := fun.(*ast.ParenExpr)
		if !ok {
			break
		}
		fun = p.X
	}
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && id != nil && types.Unsafe.Scope().Lookup(b.Name()) == types.Object(b)
}

// pointerish: the underlying type is unsafe.Pointer (for a type
// parameter: one of its type set's is).
func pointerish(t types.Type) bool {
	if t == nil {
		return false
	}
	if tp, ok := t.(*types.TypeParam); ok {
		iface, _ := tp.Constraint().Underlying().(*types.Interface)
		for i := 0; iface != nil && i < iface.NumEmbeddeds(); i++ {
			e := iface.EmbeddedType(i)
			if u, ok := e.(*types.Union); ok {
				for j := 0; j < u.Len(); j++ {
					if pointerish(u.Term(j).Type()) {
						return true
					}
				}
			} else if pointerish(e) {
				return true
			}
		}
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}

type mapped struct {
	types.ImporterFrom
	m map[string]string
}

func (m mapped) Import(path string) (*types.Package, error) { return m.ImportFrom(path, "", 0) }

func (m mapped) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	if to, ok := m.m[path]; ok {
		path = to
	}
	return m.ImporterFrom.ImportFrom(path, dir, mode)
}
