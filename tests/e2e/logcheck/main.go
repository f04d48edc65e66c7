// Command logcheck checks a goinstr log against the expectations written
// next to the code that should produce it. It is the end-to-end tests'
// oracle: every line must be whole, valid JSON in the documented format,
// and the events must be exactly those the sources announce.
//
// Expectations are comments in the program's sources:
//
//	v.SetInt(1) // want: reflect.Value.SetInt int
//
// means: exactly one event per process with op reflect.Value.SetInt,
// caller at this file and line, and target "int" (the target may be
// omitted for ops without one, or * for any). Several wants on one line
// are separated by ";". Every event whose caller lies in the
// source directory must be wanted. And
//
//	json.Marshal(x) // want-origin: reflect.PointerTo encoding/json
//
// means: at least one event with that op, a caller in package
// encoding/json (or a package below it), and origin at this line. And
//
//	unix.Uname(&u) // want-dep: unsafe.Pointer golang.org/x/sys/unix
//
// means: at least one event with that op whose caller is in that package
// (a dependency outside the source directory). Source directories are
// read recursively.
//
// The log may be several files (-log OLDEST,...,NEWEST: rotated files):
// each must begin with a header, and each process's first line in each
// file must be its header (schema 2: with part counting its files and the
// same start in every copy); with -max-bytes N, a file larger than N
// holds one write only (a header and one line).
//
// Usage: logcheck -log FILE[,FILE...] -src DIR [-procs N] [-cat LIST] [-valid] [-max-bytes N]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

type frame struct {
	Func string `json:"func"`
	File string `json:"file"`
	Line int    `json:"line"`
}

type line struct {
	Time   string  `json:"time"`
	Msg    string  `json:"msg"`
	Op     string  `json:"op"`
	Cat    string  `json:"cat"`
	Pid    int     `json:"pid"`
	Exe    string  `json:"exe"`
	Go     string  `json:"go"`
	Caller *frame  `json:"caller"`
	Origin *frame  `json:"origin"`
	Target *string `json:"target"`
}

type want struct {
	op, target, pos string
	origin, dep     bool
	pkg             string
}

var failed bool

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "logcheck: "+format+"\n", args...)
	failed = true
}

func main() {
	logPath := flag.String("log", "", "log file")
	src := flag.String("src", "", "source directory with want comments")
	procs := flag.Int("procs", 1, "number of processes expected in the log")
	cats := flag.String("cat", "", "if set, only these categories may appear (comma list); wants of other categories are ignored")
	validOnly := flag.Bool("valid", false, "only check that the log is well formed (no wants: e.g. redacted paths)")
	maxBytes := flag.Int64("max-bytes", 0, "if set, the rotation limit: a larger file holds one header and one line")
	flag.Parse()

	paths := strings.Split(*logPath, ",")
	for _, p := range paths {
		st, err := os.Lstat(p)
		if err != nil {
			fail("%v", err)
			os.Exit(1)
		}
		if st.Mode().Perm() != 0o600 || !st.Mode().IsRegular() {
			fail("%s: log mode is %v, want -rw-------", p, st.Mode())
		}
	}
	absSrc, _ := filepath.Abs(*src)
	var wants []want
	if !*validOnly {
		wants = readWants(absSrc)
	}
	anyTarget := map[string]bool{} // want: OP * matches any target
	for _, w := range wants {
		if w.target == "*" {
			anyTarget[w.op+"|"+w.pos] = true
		}
	}

	headers := map[int]bool{}
	firstHeader := map[int]map[string]any{} // pid -> its first header
	lastPart := map[int]float64{}
	lastDropped := map[int]int64{}
	seen := map[string]int{}        // pid|op|pos|target -> count
	origins := map[string]bool{}    // op|pkg|originpos
	depCallers := map[string]bool{} // op|caller package, for callers outside the sources
	n := 0
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			fail("%v", err)
			os.Exit(1)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		inFile := map[int]bool{} // processes with a line in this file
		fileLines := 0
		for sc.Scan() {
			n++
			fileLines++
			raw := sc.Bytes()
			var l line
			var generic map[string]any
			if err := json.Unmarshal(raw, &generic); err != nil {
				fail("line %d is not a JSON object: %v: %.200s", n, err, raw)
				continue
			}
			if err := json.Unmarshal(raw, &l); err != nil {
				fail("line %d: %v", n, err)
				continue
			}
			if ts, err := time.Parse(time.RFC3339Nano, l.Time); err != nil || !strings.HasSuffix(l.Time, "Z") || len(l.Time) != len("2006-01-02T15:04:05.000000000Z") {
				fail("line %d: bad time %q", n, l.Time)
			} else if d := time.Since(ts); d < -time.Minute || d > time.Hour {
				fail("line %d: time %s is not now", n, l.Time)
			}
			if l.Pid <= 0 {
				fail("line %d: no pid", n)
			}
			if fileLines == 1 && l.Msg != "goinstr.start" {
				fail("%s: the file does not begin with a header", path)
			}
			if l.Msg == "goinstr.start" {
				checkHeader(n, generic, firstHeader[l.Pid], lastPart[l.Pid])
				if inFile[l.Pid] {
					fail("line %d: second header for pid %d in %s", n, l.Pid, path)
				}
				if firstHeader[l.Pid] == nil {
					firstHeader[l.Pid] = generic
				}
				lastPart[l.Pid], _ = generic["part"].(float64)
				headers[l.Pid] = true
				inFile[l.Pid] = true
				continue
			}
			if !inFile[l.Pid] {
				fail("line %d: a line of pid %d before its header in %s", n, l.Pid, path)
			}
			if l.Msg == "goinstr.limit" {
				// The cap on distinct events: written when the count of events
				// dropped reaches each power of two.
				limit, _ := generic["limit"].(float64)
				dropped, _ := generic["dropped"].(float64)
				d := int64(dropped)
				if limit < 1 || d < 1 || d&(d-1) != 0 || d <= lastDropped[l.Pid] || len(generic) != 5 {
					fail("line %d: bad limit line: %s", n, raw)
				}
				lastDropped[l.Pid] = d
				continue
			}
			if l.Op == "" || l.Msg != l.Op || l.Cat == "" || l.Caller == nil || l.Caller.Func == "" || l.Caller.File == "" || l.Caller.Line <= 0 {
				fail("line %d: event lacks op, msg, cat or caller: %.300s", n, raw)
				continue
			}
			if *cats != "" && !strings.Contains(","+*cats+",", ","+l.Cat+",") {
				fail("line %d: category %q not selected: %s", n, l.Cat, l.Op)
			}
			target := ""
			if l.Target != nil {
				target = *l.Target
			}
			if strings.HasPrefix(l.Caller.File, absSrc+"/") {
				pos := filepath.Base(l.Caller.File) + ":" + fmt.Sprint(l.Caller.Line)
				if anyTarget[l.Op+"|"+pos] {
					target = "*"
				}
				seen[fmt.Sprintf("%d|%s|%s|%s", l.Pid, l.Op, pos, target)]++
				if l.Origin == nil || *l.Origin != *l.Caller {
					fail("line %d: caller in the program but origin %+v differs", n, l.Origin)
				}
			} else if l.Origin != nil && strings.HasPrefix(l.Origin.File, absSrc+"/") {
				pkg := l.Caller.Func
				if i := strings.LastIndex(pkg, "/"); i >= 0 {
					pkg = pkg[:i+1] + strings.SplitN(pkg[i+1:], ".", 2)[0]
				} else {
					pkg = strings.SplitN(pkg, ".", 2)[0]
				}
				origins[l.Op+"|"+pkg+"|"+filepath.Base(l.Origin.File)+":"+fmt.Sprint(l.Origin.Line)] = true
			} else {
				depCallers[l.Op+"|"+funcPkg(l.Caller.Func)] = true
			}
		}
		f.Close()
		if st, err := os.Stat(path); err == nil && *maxBytes > 0 && st.Size() > *maxBytes && fileLines > 2 {
			fail("%s: %d bytes in %d lines, past the limit %d by more than one write", path, st.Size(), fileLines, *maxBytes)
		}
	}
	if len(headers) != *procs {
		fail("%d processes logged, want %d", len(headers), *procs)
	}
	// Exactly the wanted events, once per process.
	for pid := range headers {
		if *validOnly {
			break
		}
		// A want listed n times on a line is n sites there (each its event).
		expect := map[string]int{}
		for _, w := range wants {
			if w.origin || w.dep || (*cats != "" && !catOK(w.op, *cats)) {
				continue
			}
			expect[fmt.Sprintf("%d|%s|%s|%s", pid, w.op, w.pos, w.target)]++
		}
		for k, n := range expect {
			if seen[k] != n {
				f := strings.SplitN(k, "|", 4)
				fail("pid %d: %s at %s (target %q) logged %d times, want %d", pid, f[1], f[2], f[3], seen[k], n)
			}
		}
		var extra []string
		for k := range seen {
			if strings.HasPrefix(k, fmt.Sprint(pid)+"|") && expect[k] == 0 {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			fail("unexpected event %s", k)
		}
	}
	for _, w := range wants {
		if *cats != "" && !catOK(w.op, *cats) {
			continue
		}
		if w.dep && !depCallers[w.op+"|"+w.pkg] {
			fail("no %s called from package %s (%s)", w.op, w.pkg, w.pos)
		}
		if w.origin && !hasOrigin(origins, w) {
			fail("no %s called from %s with origin %s", w.op, w.pkg, w.pos)
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Printf("logcheck: %s: %d files, %d lines, %d processes, %d wants ok\n", filepath.Base(paths[len(paths)-1]), len(paths), n, len(headers), len(wants))
}

// checkHeader checks a schema-2 header line: every field, and against the
// process's first header (first, nil for this one) and the part of its
// previous one.
func checkHeader(n int, h, first map[string]any, lastPart float64) {
	for _, k := range []string{"time", "msg", "schema", "pid", "start", "part", "exe", "argv0", "go", "goos", "goarch",
		"goinstr", "ops", "main", "deps", "max_string", "max_events"} {
		if _, ok := h[k]; !ok {
			fail("line %d: header lacks %q", n, k)
		}
	}
	if h["schema"] != 2.0 {
		fail("line %d: header schema %v, want 2", n, h["schema"])
	}
	if exe, _ := h["exe"].(string); !strings.HasPrefix(exe, "/") && !strings.HasPrefix(exe, "~/") {
		fail("line %d: exe %q is not an absolute path", n, exe)
	}
	if m, ok := h["main"].(map[string]any); !ok || m["path"] == nil || m["version"] == nil {
		fail("line %d: main is not {path,version}: %v", n, h["main"])
	}
	if _, ok := h["deps"].([]any); !ok {
		fail("line %d: deps is not a list", n)
	}
	part, _ := h["part"].(float64)
	if part != lastPart+1 && !(first == nil && part > 1) { // earlier parts may have rotated away
		fail("line %d: part %v after part %v", n, part, lastPart)
	}
	if first != nil {
		for _, k := range []string{"start", "exe", "argv0", "go", "ops"} {
			if h[k] != first[k] {
				fail("line %d: header's %s %v differs from the process's first header's %v", n, k, h[k], first[k])
			}
		}
	} else if start, _ := h["start"].(string); start != h["time"] && part == 1 {
		fail("line %d: first header's start %v is not its time %v", n, start, h["time"])
	}
}

// funcPkg is the import path of a function symbol ("a/b.(*T).M" -> "a/b").
func funcPkg(fn string) string {
	if i := strings.IndexByte(fn, '['); i >= 0 {
		fn = fn[:i]
	}
	slash := strings.LastIndex(fn, "/")
	if i := strings.IndexByte(fn[slash+1:], '.'); i >= 0 {
		return fn[:slash+1+i]
	}
	return fn
}

// hasOrigin reports whether an event matches an origin want; the caller's
// package may also be below the wanted one (Go 1.27's encoding/json works
// through encoding/json/v2).
func hasOrigin(origins map[string]bool, w want) bool {
	for k := range origins {
		f := strings.Split(k, "|")
		if f[0] == w.op && f[2] == w.pos && (f[1] == w.pkg || strings.HasPrefix(f[1], w.pkg+"/")) {
			return true
		}
	}
	return false
}

// catOK decides whether a want's op belongs to the selected categories,
// by the table in wantCats (the tests that select categories use ops
// listed there).
func catOK(op, cats string) bool {
	c, ok := wantCats[op]
	return ok && strings.Contains(","+cats+",", ","+c+",")
}

var wantCats = map[string]string{
	"reflect.Value.FieldByName": "lookup",
	"reflect.Type.MethodByName": "lookup",
	"reflect.Type.FieldByName":  "lookup",
}

func readWants(dir string) []want {
	var ws []want
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			files = append(files, f)
		}
		return nil
	})
	if err != nil {
		fail("%v", err)
		os.Exit(1)
	}
	{
		for _, f := range files {
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
					pos := fset.Position(c.Pos())
					where := filepath.Base(pos.Filename) + ":" + fmt.Sprint(pos.Line)
					if rest, ok := strings.CutPrefix(text, "want:"); ok {
						for _, one := range strings.Split(rest, ";") {
							fields := strings.Fields(one)
							w := want{op: fields[0], pos: where}
							if len(fields) > 1 {
								w.target = strings.Join(fields[1:], " ")
							}
							ws = append(ws, w)
						}
					} else if rest, ok := strings.CutPrefix(text, "want-origin:"); ok {
						fields := strings.Fields(rest)
						ws = append(ws, want{op: fields[0], pkg: fields[1], pos: where, origin: true})
					} else if rest, ok := strings.CutPrefix(text, "want-dep:"); ok {
						fields := strings.Fields(rest)
						ws = append(ws, want{op: fields[0], pkg: fields[1], pos: where, dep: true})
					}
				}
			}
		}
	}
	return ws
}
