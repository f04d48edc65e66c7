/*
 * logread.c - a streaming line reader for goinstr logs and sites
 * inventories: plain or gzip, bounded memory, hostile input (logread.h).
 * Each line goes to a callback, which scans it with logline.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "logread.h"
#include "util.h"

/* --- reading ------------------------------------------------------------- */

/* Where the bytes come from: a descriptor or memory, inflated when they
 * start with gzip's magic. */
struct src {
	const char *name;
	int fd; /* -1: memory */
	const unsigned char *mem;
	size_t memlen, memoff;
	int gz, zend, zbad; /* inflating; the last member ended; corrupt */
	z_stream z;
	unsigned char *zin;
	unsigned long long total, max;
	unsigned ratio;                 /* struct logread_limit */
	unsigned long long zin_used, zout; /* compressed bytes inflated, and what they gave */
};

#define ZIN_SIZE (256u << 10)

/* Raw bytes: >= 0, or -1 (reported). */
static ssize_t raw_read(struct src *s, void *buf, size_t n)
{
	ssize_t r;

	if (s->fd < 0) {
		size_t k = s->memlen - s->memoff < n ? s->memlen - s->memoff : n;
		memcpy(buf, s->mem + s->memoff, k);
		s->memoff += k;
		return (ssize_t)k;
	}
	while ((r = read(s->fd, buf, n)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return error("cannot read '%s': %s", s->name, strerror(errno));
	return r;
}

#define READ_BADGZ (-2)

/* Inflated bytes: > 0, 0 at the end, -1 (reported) or READ_BADGZ (after
 * the bytes inflated before the fault are returned). */
static ssize_t gz_read(struct src *s, unsigned char *buf, size_t n)
{
	uInt want = (uInt)(n > UINT_MAX ? UINT_MAX : n);

	if (s->zbad)
		return READ_BADGZ;
	s->z.next_out = buf;
	s->z.avail_out = want;
	while (s->z.avail_out == want) {
		int ret;

		if (!s->z.avail_in) {
			ssize_t r = raw_read(s, s->zin, ZIN_SIZE);
			if (r < 0)
				return -1;
			if (!r) {
				if (s->zend)
					return 0;
				s->zbad = 1; /* cut short */
				break;
			}
			s->z.next_in = s->zin;
			s->z.avail_in = (uInt)r;
		}
		if (s->zend) { /* another member follows */
			if (inflateReset(&s->z) != Z_OK) {
				s->zbad = 1;
				break;
			}
			s->zend = 0;
		}
		{
			uInt in = s->z.avail_in, out = s->z.avail_out;
			ret = inflate(&s->z, Z_NO_FLUSH);
			s->zin_used += in - s->z.avail_in;
			s->zout += out - s->z.avail_out;
		}
		if (ret == Z_STREAM_END) {
			s->zend = 1;
		} else if (ret != Z_OK && !(ret == Z_BUF_ERROR && !s->z.avail_in)) {
			s->zbad = 1;
			break;
		}
	}
	return s->z.avail_out < want ? (ssize_t)(want - s->z.avail_out) : READ_BADGZ;
}

/* Whether gzip data inflated past the ratio its limit allows. */
static int too_inflated(const struct src *s)
{
	return s->gz && s->ratio && s->zout > LOGREAD_RATIO_SLACK &&
	       s->zout / s->ratio > s->zin_used;
}

static ssize_t src_read(struct src *s, unsigned char *buf, size_t n)
{
	ssize_t r = s->gz ? gz_read(s, buf, n) : raw_read(s, buf, n);

	if (r > 0 && s->max && (s->total += (unsigned long long)r) > s->max)
		return error("'%s' is larger than %llu bytes", s->name, s->max);
	if (r > 0 && too_inflated(s))
		return error("'%s' inflates to more than %u times its compressed size "
			     "(a gzip bomb?): read no further; --gzip-ratio=N allows more",
			     s->name, s->ratio);
	return r;
}

/*
 * The first bytes: switch to inflating if they are gzip's magic (1f 8b).
 * They were read into buf (have bytes, at least 2 unless the input is
 * shorter); a gzip stream moves to the inflater's input.
 */
static int src_sniff(struct src *s, unsigned char *buf, size_t *have)
{
	if (*have < 2 || buf[0] != 0x1f || buf[1] != 0x8b)
		return 0;
	s->zin = xmalloc(ZIN_SIZE);
	memcpy(s->zin, buf, *have); /* *have <= ZIN_SIZE: see src_start() */
	memset(&s->z, 0, sizeof(s->z));
	if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
		return error("cannot inflate '%s'", s->name);
	s->gz = 1;
	s->z.next_in = s->zin;
	s->z.avail_in = (uInt)*have;
	*have = 0;
	s->total = 0;
	return 0;
}

/*
 * The start of s: the first read into buf (alloc bytes; at most what the
 * inflater's input holds), then at least two bytes or the end, sniffed
 * (src_sniff). *have: the plain bytes left in buf. 0, or -1 (reported).
 */
static int src_start(struct src *s, unsigned char *buf, size_t alloc, size_t *have)
{
	ssize_t n;

	do {
		n = raw_read(s, buf + *have, (alloc < ZIN_SIZE ? alloc : ZIN_SIZE) - *have);
		if (n < 0)
			return -1;
		*have += (size_t)n;
	} while (n > 0 && *have < 2);
	if (src_sniff(s, buf, have))
		return -1;
	if (s->max && !s->gz && (s->total = *have) > s->max)
		return error("'%s' is larger than %llu bytes", s->name, s->max);
	return 0;
}

/* The lines of s, to fn; alloc is the first buffer size (it grows up to
 * LOGREAD_CHUNK while a line does not fit). */
static int run(struct src *s, size_t alloc, logread_fn *fn, void *ctx)
{
	unsigned char *buf;
	size_t have = 0, pending, skipped = 0;
	unsigned long lineno = 0;
	int skipping = 0, ret = 0;
	ssize_t n;

	alloc = alloc < 4096 ? 4096 : alloc > LOGREAD_CHUNK ? LOGREAD_CHUNK : alloc;
	buf = xmalloc(alloc);
	if (src_start(s, buf, alloc, &have) < 0) {
		ret = -1;
		goto out;
	}
	pending = have; /* plain bytes already in buf, not yet split */
	have = 0;
	for (;;) {
		unsigned char *p, *q, *nl, *end;

		if (have == alloc) {
			if (alloc < LOGREAD_CHUNK) {
				alloc = alloc * 2 < LOGREAD_CHUNK ? alloc * 2 : LOGREAD_CHUNK;
				buf = xrealloc(buf, alloc);
			} else { /* one line fills the buffer: read past it */
				skipping = 1;
				skipped += have;
				have = 0;
			}
		}
		if (pending) {
			n = (ssize_t)pending;
			pending = 0;
		} else if ((n = src_read(s, buf + have, alloc - have)) < 0) {
			ret = n == READ_BADGZ ? fn(NULL, 0, ++lineno, LOGREAD_BADGZ, ctx) : -1;
			goto out;
		}
		if (n == 0) {
			if (skipping)
				ret = fn(NULL, skipped + have, ++lineno, LOGREAD_TOOLONG, ctx);
			else if (have)
				ret = fn((char *)buf, have, ++lineno,
					 have > LOGREAD_MAX_LINE ? LOGREAD_TOOLONG : LOGREAD_PARTIAL, ctx);
			goto out;
		}
		q = buf + have; /* the bytes before have no newline */
		have += (size_t)n;
		end = buf + have;
		p = buf;
		while ((nl = memchr(q, '\n', (size_t)(end - q)))) {
			size_t len = (size_t)(nl - p);
			if (skipping)
				ret = fn(NULL, skipped + len, ++lineno, LOGREAD_TOOLONG, ctx);
			else if (len > LOGREAD_MAX_LINE)
				ret = fn(NULL, len, ++lineno, LOGREAD_TOOLONG, ctx);
			else
				ret = fn((char *)p, len, ++lineno, LOGREAD_LINE, ctx);
			if (ret)
				goto out;
			skipping = 0;
			skipped = 0;
			p = q = nl + 1;
		}
		have = (size_t)(end - p);
		if (p != buf)
			memmove(buf, p, have);
	}
out:
	if (s->gz)
		inflateEnd(&s->z);
	free(s->zin);
	free(buf);
	return ret;
}

int logread_file(const char *path, unsigned flags, const struct logread_limit *lim,
		 logread_fn *fn, void *ctx)
{
	struct src s = { .name = strcmp(path, "-") ? path : "(standard input)",
			 .max = lim ? lim->max_bytes : 0,
			 .ratio = lim ? lim->ratio : LOGREAD_RATIO };
	struct stat st;
	size_t alloc = LOGREAD_CHUNK;
	int ret;

	if (!strcmp(path, "-")) {
		s.fd = dup(0); /* closed below like any other */
		if (s.fd < 0)
			return error("cannot read standard input: %s", strerror(errno));
	} else {
		int of = O_RDONLY | O_CLOEXEC;
		if (flags & LOGREAD_REGULAR)
			of |= O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
		if ((s.fd = open(path, of)) < 0)
			return error("cannot open '%s': %s", path,
				     errno == ELOOP && (flags & LOGREAD_REGULAR)
					     ? "a symbolic link (not followed)" : strerror(errno));
	}
	if (fstat(s.fd, &st)) {
		ret = error("cannot stat '%s': %s", path, strerror(errno));
		goto out;
	}
	if ((flags & LOGREAD_REGULAR) && !S_ISREG(st.st_mode)) {
		ret = error("cannot open '%s': not a regular file", path);
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size < LOGREAD_CHUNK)
			alloc = (size_t)st.st_size + 1;
		/* Sequential reads: let the kernel read ahead aggressively. */
		posix_fadvise(s.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	ret = run(&s, alloc, fn, ctx);
out:
	close(s.fd);
	return ret;
}

int logread_mem_limit(const void *data, size_t len, const char *name,
		      const struct logread_limit *lim, logread_fn *fn, void *ctx)
{
	struct src s = { .name = name, .fd = -1, .mem = data, .memlen = len,
			 .max = lim ? lim->max_bytes : 0,
			 .ratio = lim ? lim->ratio : LOGREAD_RATIO };

	return run(&s, len + 1, fn, ctx);
}

int logread_mem(const void *data, size_t len, logread_fn *fn, void *ctx)
{
	return logread_mem_limit(data, len, "(memory)", NULL, fn, ctx);
}
