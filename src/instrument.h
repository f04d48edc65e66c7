/*
 * instrument.h - plan and rewrite the standard library for one toolchain:
 * package reflect gets entry hooks (rwreflect), and the logger and its
 * runtime shim are added from the embedded inject/ files.
 *
 * Every file is handed to a sink, in a fixed order (sorted by path), so
 * the same inputs always give the same outputs: the overlay sink writes
 * the work directory, other sinks may print diffs.
 */
#ifndef INSTRUMENT_H
#define INSTRUMENT_H

#include <stddef.h>

#include "goenv.h"
#include "rwreflect.h"

struct sink {
	/*
	 * target: absolute path in GOROOT; rel: short name ("reflect/value.go");
	 * orig: its current contents (NULL for an added file).
	 * Returns 0 or -1 (reported).
	 */
	int (*file)(void *ctx, const char *target, const char *rel,
		    const char *orig, size_t olen, const char *data, size_t len);
	void *ctx;
};

/*
 * Rewrite the standard library of env for the op categories in rw->mask
 * (rw is initialised by the caller and gets the catalogue of ops). Every
 * file read is first checked against the release's manifest, unless
 * rw->trust_goroot. Only changed and added files reach the sink. 0 or -1
 * (reported: a file that does not match names itself and both hashes).
 */
int instrument_std(const struct goenv *env, struct rwreflect *rw, struct sink *sink);

/*
 * The SHA-256 (hex, appended to key) of every input of instrument_std:
 * goinstr's version and embedded files, the toolchain's GOROOT and
 * version, the op mask, --trust-goroot, and the names and contents of the
 * reflect sources.
 * Equal keys mean equal outputs. 0 or -1 (reported).
 */
int instrument_key(const struct goenv *env, unsigned mask, int trust_goroot,
		   struct strbuf *key);
/* The same, with the reflect sources read from srcroot/src/reflect (the
 * originals a drop-in toolchain keeps) instead of env->goroot's. */
int instrument_key_at(const struct goenv *env, const char *srcroot, unsigned mask,
		      int trust_goroot, struct strbuf *key);

/*
 * The identity of the unsafe rewrite (cmd_toolexec.c), which the compile
 * shim appends to the compiler's -V=full answer: 16 hex digits of the
 * SHA-256 of goinstr's own digest (hash.h), GOROOT, the --unsafe scope and
 * the main modules' directories (one per line; "" for all, or when the
 * shim finds them itself), appended to id. The go command hashes that
 * answer into every compile, the standard library's included: so only
 * what a compile's output depends on belongs in it. The op mask,
 * --trust-goroot and the injected files change reflect and runtime
 * through the overlay's content, which the go command hashes already;
 * in the identity they would recompile the whole standard library.
 */
void instrument_unsafe_id(const char *goroot, const char *scope, const char *mains,
			  struct strbuf *id);

#endif
