/*
 * hash.c - SHA-256 via libcrypto's EVP interface.
 */
#include "hash.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
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
	for (unsigned i = 0; i < n; i++)
		strbuf_addf(out, "%02x", md[i]);
}

void sha256_buf_hex(const void *data, size_t len, struct strbuf *out)
{
	struct sha256 h;
	sha256_init(&h);
	sha256_add(&h, data, len);
	sha256_hex(&h, out);
}

const char *self_digest(void)
{
	static struct strbuf hex = STRBUF_INIT;
	struct strbuf bin = STRBUF_INIT;

	if (hex.len)
		return hex.buf;
	if (strbuf_read_file(&bin, "/proc/self/exe") < 0) {
		error("cannot read goinstr's own binary: %s", strerror(errno));
		strbuf_release(&bin);
		return NULL;
	}
	sha256_buf_hex(bin.buf, bin.len, &hex);
	strbuf_release(&bin);
	return hex.buf;
}
