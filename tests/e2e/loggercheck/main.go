// Command loggercheck type-checks package reflect as goinstr rewrote it
// (from the overlay of a --keep-work build) and proves the logger's
// rules on the code itself: the files goinstr adds to reflect call no
// exported function or method of package reflect (a hook could recurse),
// start no goroutine, and import neither fmt nor os.
//
// Usage: loggercheck -overlay DIR/overlay.json -inject ROOT/inject/reflect
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	ovPath := flag.String("overlay", "", "overlay.json of a goinstr --keep-work build")
	injectDir := flag.String("inject", "", "goinstr's inject/reflect: the files the overlay must add, with goinstr_ops.go")
	flag.Parse()
	want := []string{"goinstr_ops.go"}
	injected, err := filepath.Glob(filepath.Join(*injectDir, "goinstr_*.go"))
	if err != nil || len(injected) == 0 {
		fatal(fmt.Errorf("no goinstr_*.go in -inject %q", *injectDir))
	}
	for _, f := range injected {
		want = append(want, filepath.Base(f))
	}
	sort.Strings(want)
	data, err := os.ReadFile(*ovPath)
	if err != nil {
		fatal(err)
	}
	var ov struct{ Replace map[string]string }
	if err := json.Unmarshal(data, &ov); err != nil {
		fatal(err)
	}
	// The GOROOT is the one the overlay names.
	dir := ""
	for target := range ov.Replace {
		if strings.HasSuffix(target, "/src/reflect/goinstr_log.go") {
			dir = filepath.Dir(target)
		}
	}
	if dir == "" {
		fatal(fmt.Errorf("%s adds no reflect/goinstr_log.go", *ovPath))
	}

	// The files of package reflect for this platform, rewritten ones
	// read from the overlay, added ones included.
	names := map[string]string{} // path in GOROOT -> file to read
	ents, err := os.ReadDir(dir)
	if err != nil {
		fatal(err)
	}
	for _, e := range ents {
		names[filepath.Join(dir, e.Name())] = filepath.Join(dir, e.Name())
	}
	for target, repl := range ov.Replace {
		if filepath.Dir(target) == dir {
			names[target] = repl
		}
	}
	var paths []string
	for p := range names {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	fset := token.NewFileSet()
	var files, added []*ast.File
	var addedNames []string
	ctx := build.Default
	for _, p := range paths {
		base := filepath.Base(p)
		if !strings.HasSuffix(base, ".go") || strings.HasSuffix(base, "_test.go") {
			continue
		}
		src, err := os.ReadFile(names[p])
		if err != nil {
			fatal(err)
		}
		ctx.OpenFile = func(string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(string(src))), nil
		}
		if ok, err := ctx.MatchFile(dir, base); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, p, src, parser.SkipObjectResolution)
		if err != nil {
			fatal(err)
		}
		files = append(files, f)
		if strings.HasPrefix(base, "goinstr_") {
			added = append(added, f)
			addedNames = append(addedNames, base)
		}
	}
	if strings.Join(addedNames, " ") != strings.Join(want, " ") {
		fatal(fmt.Errorf("the overlay adds %v to reflect, want %v", addedNames, want))
	}

	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("reflect", fset, files, info); err != nil {
		fatal(fmt.Errorf("type-checking the rewritten reflect: %v", err))
	}

	bad := 0
	calls := 0
	for _, f := range added {
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); p == "fmt" || p == "os" || p == "syscall" {
				report(fset, imp.Pos(), "imports %s", p)
				bad++
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				report(fset, n.Pos(), "starts a goroutine")
				bad++
			case *ast.CallExpr:
				calls++
				if obj, ok := callee(info, n.Fun).(*types.Func); ok && obj.Pkg() != nil &&
					obj.Pkg().Path() == "reflect" && obj.Exported() {
					report(fset, n.Pos(), "calls exported %s", obj.String())
					bad++
				}
			}
			return true
		})
	}
	if bad > 0 {
		os.Exit(1)
	}
	fmt.Printf("loggercheck: %d files type-check; %d calls in the added files, none to reflect's exported API\n", len(files), calls)
}

// callee resolves the function or method a call expression calls.
func callee(info *types.Info, fun ast.Expr) types.Object {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return info.Uses[f]
	case *ast.SelectorExpr:
		if s, ok := info.Selections[f]; ok {
			return s.Obj()
		}
		return info.Uses[f.Sel]
	case *ast.IndexExpr: // generic instantiation
		return callee(info, f.X)
	}
	return nil
}

func report(fset *token.FileSet, pos token.Pos, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "loggercheck: %s: %s\n", fset.Position(pos), fmt.Sprintf(format, args...))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "loggercheck:", err)
	os.Exit(1)
}
