/*
 * hash.c - SHA-256 via libcrypto's EVP interface.
 */
#include "hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void sha256_init(struct sha256 *h)
{
	static EVP_MD *md;
	EVP_MD_CTX *c;

	/* No openssl.cnf: nothing in it concerns SHA-256, and reading it costs
	 * more than hashing a rewrite. Fetch the algorithm once. */
	if (!md && OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) == 1)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	c = EVP_MD_CTX_new();
	if (!md || !c || EVP_DigestInit_ex(c, md, NULL) != 1) {
		fputs("goinstr: cannot initialise SHA-256\n", stderr);
		abort();
	}
	h->ctx = c;
}

void sha256_add(struct sha256 *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void sha256_field(struct sha256 *h, const void *data, size_t len)
{
	uint64_t n = len;
	sha256_add(h, &n, sizeof(n));
	sha256_add(h, data, len);
}

void sha256_hex(struct sha256 *h, struct strbuf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	strbuf_grow(out, 2 * n);
	for (unsigned i = 0; i < n; i++) { /* not strbuf_addf: a site id each */
		strbuf_addch(out, "0123456789abcdef"[md[i] >> 4]);
		strbuf_addch(out, "0123456789abcdef"[md[i] & 15]);
	}
}

void sha256_base64(struct sha256 *h, struct strbuf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned n = 0;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	strbuf_add(out, b64, (size_t)EVP_EncodeBlock(b64, md, (int)n));
}

void sha256_buf_hex(const void *data, size_t len, struct strbuf *out)
{
	struct sha256 h;
	sha256_init(&h);
	sha256_add(&h, data, len);
	sha256_hex(&h, out);
}

void hmac_sha256_hex(const void *key, size_t klen, const void *data, size_t len,
		     struct strbuf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (!HMAC(EVP_sha256(), key, (int)klen, data, len, md, &n)) {
		fputs("goinstr: cannot compute HMAC-SHA-256\n", stderr);
		abort();
	}
	for (unsigned i = 0; i < n; i++) {
		strbuf_addch(out, "0123456789abcdef"[md[i] >> 4]);
		strbuf_addch(out, "0123456789abcdef"[md[i] & 15]);
	}
}

extern const char goinstr_build_digest[];

const char *self_digest(void)
{
	return goinstr_build_digest;
}
