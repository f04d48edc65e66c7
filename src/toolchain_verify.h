/*
 * toolchain_verify.h - check a drop-in toolchain (toolchain.h) file by
 * file, against what this goinstr would write into it and against the
 * release manifest; what `goinstr verify DIR` runs.
 */
#ifndef TOOLCHAIN_VERIFY_H
#define TOOLCHAIN_VERIFY_H

/*
 * Check every file of the toolchain at dir: what goinstr generates (the
 * instrumented sources, from the originals dir keeps; the scripts; its
 * copy, which must be this goinstr; go.env; the MANIFEST itself) against
 * what this goinstr generates now for the options and source its MANIFEST
 * names, everything else against the release manifest (only files no
 * release has against the MANIFEST). One line on stdout per file that
 * differs, is missing or extra, writable by group or others, owned by
 * another user than dir's owner or root, or set-user-ID or set-group-ID
 * (a regular file), and per directory above dir that someone but its
 * owner can rename dir in (writable by others without the sticky bit, or
 * owned by another user than dir's owner or root); then a summary.
 * Returns the
 * number of problems, or -1 (reported: unreadable manifest, unknown
 * release).
 */
int toolchain_verify(const char *dir);

#endif
