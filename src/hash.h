/*
 * hash.h - SHA-256 through OpenSSL's libcrypto, for cache keys and file
 * digests. A context aborts the process only if libcrypto cannot allocate.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>

#include "strbuf.h"

struct sha256 {
	void *ctx; /* EVP_MD_CTX */
};

void sha256_init(struct sha256 *h);
void sha256_add(struct sha256 *h, const void *data, size_t len);
/* Add a length-prefixed field, so ("ab","c") and ("a","bc") differ. */
void sha256_field(struct sha256 *h, const void *data, size_t len);
/* Append the lowercase hex digest (64 chars) to out and free the context. */
void sha256_hex(struct sha256 *h, struct strbuf *out);
/* Append the standard base64 digest (44 chars; go.sum's "h1:" form) to out
 * and free the context. */
void sha256_base64(struct sha256 *h, struct strbuf *out);
/* Hex digest of a buffer. */
void sha256_buf_hex(const void *data, size_t len, struct strbuf *out);
/* HMAC-SHA-256 (RFC 2104) of data under key, as hex, appended to out. */
void hmac_sha256_hex(const void *key, size_t klen, const void *data, size_t len,
		     struct strbuf *out);

/*
 * goinstr's identity: the hex SHA-256 of everything it was built from
 * (its sources, the embedded files, the compiler; made by the Makefile in
 * build/gen/digest.c). Every cache key includes it, so a rebuilt goinstr
 * never reuses an older rewrite. Never NULL.
 */
const char *self_digest(void);

#endif
