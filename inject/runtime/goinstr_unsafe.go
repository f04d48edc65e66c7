// Copyright 2026 The goinstr Authors. SPDX-License-Identifier: BSD-3-Clause

// This file is added to package runtime by goinstr (in the build overlay
// only). It is the entry point of the wrappers goinstr puts around unsafe
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

type goinstrUnsafeLogger func(op, id, file string, line, col int, expr, to string, typ any, ptr uintptr, n int, what int)

// goinstrUnsafeHook is set once, by package reflect's initialization,
// when logging is on; nil otherwise.
var goinstrUnsafeHook goinstrUnsafeLogger

//go:linkname reflect_goinstrSetUnsafeHook reflect.goinstrSetUnsafeHook
func reflect_goinstrSetUnsafeHook(h goinstrUnsafeLogger) {
	goinstrUnsafeHook = h
}

// goinstrUnsafeEvent is called on a site's first executions until one is
// logged: *done becomes 1 (once, by one caller) when the event is handed
// to the logger, or when logging is off, so the site's wrapper then costs
// a load and a branch. Before reflect has initialized (a site run by an
// earlier package's init) the event waits for a later execution.
//
//go:linkname goinstrUnsafeEvent
func goinstrUnsafeEvent(done *uint32, op, id, file string, line, col int, expr, to string, typ any, ptr uintptr, n int, what int) {
	h := goinstrUnsafeHook
	if h == nil {
		if gogetenv("INSTRUMENTATION_LOG_PATH") == "" {
			atomic.Store(done, 1)
		}
		return
	}
	if atomic.Cas(done, 0, 1) {
		h(op, id, file, line, col, expr, to, typ, ptr, n, what)
	}
}
