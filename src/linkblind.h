/*
 * linkblind.h - what goinstr could not see in the packages a link links
 * (the toolexec shim passes it to the linker as runtime.goinstrBlind,
 * which every log header names): each package's compile record
 * (sitescache.h) found by the action ID in its archive's build ID, so a
 * package taken from the go command's cache is named too.
 */
#ifndef LINKBLIND_H
#define LINKBLIND_H

#include "strbuf.h"

/*
 * Append to out one "PATH\tWHAT" line per package of the import
 * configuration importcfg (its "packagefile PATH=ARCHIVE" lines) that has
 * a blind spot: its record's; "compiled without goinstr" when it has no
 * record; or an archive with no readable build ID. Packages of goroot
 * (GOROOT/src/PATH is a directory; goroot may be NULL) are the standard
 * library: never named. An unreadable importcfg adds nothing.
 */
void linkblind_collect(const char *importcfg, const char *goroot, struct strbuf *out);

#endif
