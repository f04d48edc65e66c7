// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// The binary's modules, for the header: the main module and every
// dependency (with its replacement), read from the build information the
// linker leaves in runtime.modinfo, which runtime/debug.ReadBuildInfo
// parses. reflect may not import runtime/debug, so the runtime lends the
// string (goinstrModinfo) and this file parses its simple line format:
//
//	path	example.com/m/cmd/app
//	mod	example.com/m	(devel)
//	dep	golang.org/x/sys	v0.50.0	h1:...
//	=>	../sys		(the replacement of the module on the line above)
//	build	-compiler=gc
//
// tests/logger.sh checks it against runtime/debug.ParseBuildInfo.
//
// Pure: uses nothing of package reflect (see goinstr_log.go).

package reflect

import "strconv"

// goinstrInfoStart is the marker before the text in runtime.modinfo (a
// 16-byte one follows it), as cmd/go/internal/modload writes it.
const goinstrInfoStart = "\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6"

// A goinstrModule is a module path and version, and its replacement;
// for the main module, pkg is the main package's import path (build
// information's "path" line: "example.com/m/cmd/app"), which names the
// functions the runtime calls "main.F".
type goinstrModule struct {
	path, version, pkg string
	replace            *goinstrModule
}

// goinstrParseModinfo parses build information: as runtime.modinfo holds
// it (between 16-byte markers) or as runtime/debug's BuildInfo.String
// gives it. A line it cannot read is skipped.
func goinstrParseModinfo(s string) (main goinstrModule, deps []goinstrModule) {
	if len(s) >= 32 && s[:16] == goinstrInfoStart {
		s = s[16 : len(s)-16]
	}
	var last *goinstrModule
	path := ""
	for len(s) > 0 {
		var line string
		line, s = goinstrCutByte(s, '\n')
		kind, rest := goinstrCutByte(line, '\t')
		f1, rest := goinstrCutByte(rest, '\t')
		f2, _ := goinstrCutByte(rest, '\t')
		switch kind {
		case "path":
			path = f1
		case "mod":
			main = goinstrModule{path: f1, version: f2}
			last = &main
		case "dep":
			deps = append(deps, goinstrModule{path: f1, version: f2})
			last = &deps[len(deps)-1]
		case "=>":
			if last != nil {
				last.replace = &goinstrModule{path: f1, version: f2}
				last = nil
			}
		}
	}
	if main.path == "" {
		main.path = path // built without a main module (a file list)
	}
	main.pkg = path
	return main, deps
}

// goinstrBuildSetting is the value of the build setting key in build
// information (as goinstrParseModinfo takes it), "" if it has none:
// goinstr's link marks every binary it instruments with its own
// ("goinstr.unsafe=all", src/buildinfo.h), which the header repeats.
// Values goinstr writes are never quoted.
func goinstrBuildSetting(s, key string) string {
	for len(s) > 0 {
		var line string
		line, s = goinstrCutByte(s, '\n')
		kind, rest := goinstrCutByte(line, '\t')
		if kind == "build" && len(rest) > len(key) && rest[:len(key)] == key && rest[len(key)] == '=' {
			return rest[len(key)+1:]
		}
	}
	return ""
}

// goinstrCutByte splits s at its first c (after is "" if there is none).
func goinstrCutByte(s string, c byte) (before, after string) {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// goinstrAppendModule appends m as {"path":..,"version":..} and its
// replacement as "replace":{...}.
func goinstrAppendModule(b []byte, m *goinstrModule) []byte {
	b = append(b, `{"path":`...)
	b = goinstrAppendString(b, m.path, goinstrMaxStatic)
	b = append(b, `,"version":`...)
	b = goinstrAppendString(b, m.version, goinstrMaxStatic)
	if m.pkg != "" {
		b = append(b, `,"pkg":`...)
		b = goinstrAppendString(b, m.pkg, goinstrMaxStatic)
	}
	if m.replace != nil {
		b = append(b, `,"replace":`...)
		b = goinstrAppendModule(b, m.replace)
	}
	return append(b, '}')
}

// goinstrAppendModules appends the header's "main" and "deps" fields.
// The dependencies take at most max bytes: those past it are left out
// and counted in "deps_cut".
func goinstrAppendModules(b []byte, main goinstrModule, deps []goinstrModule, max int) []byte {
	b = append(b, `,"main":`...)
	b = goinstrAppendModule(b, &main)
	b = append(b, `,"deps":[`...)
	start := len(b)
	for i := range deps {
		n := len(b)
		if i > 0 {
			b = append(b, ',')
		}
		b = goinstrAppendModule(b, &deps[i])
		if len(b)-start > max {
			b = b[:n]
			b = append(b, `],"deps_cut":`...)
			return strconv.AppendInt(b, int64(len(deps)-i), 10)
		}
	}
	return append(b, ']')
}
