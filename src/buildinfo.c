/*
 * buildinfo.c - goinstr's mark in Go build information (see buildinfo.h).
 * The formats are the go command's: cmd/go/internal/modload (the modinfo
 * sentinels), cmd/link (the importcfg's "modinfo" line, a Go string
 * literal) and debug/buildinfo (the .go.buildinfo blob).
 */
#include "buildinfo.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "version.h"

/* cmd/go's infoStart and infoEnd around the module information. */
static const unsigned char info_start[16] = { 0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
					      0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6 };
static const unsigned char info_end[16] = { 0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
					    0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2 };

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void add_utf8(struct strbuf *out, uint32_t r)
{
	if (r < 0x80) {
		strbuf_addch(out, (char)r);
	} else if (r < 0x800) {
		strbuf_addch(out, (char)(0xc0 | r >> 6));
		strbuf_addch(out, (char)(0x80 | (r & 0x3f)));
	} else if (r < 0x10000) {
		strbuf_addch(out, (char)(0xe0 | r >> 12));
		strbuf_addch(out, (char)(0x80 | (r >> 6 & 0x3f)));
		strbuf_addch(out, (char)(0x80 | (r & 0x3f)));
	} else {
		strbuf_addch(out, (char)(0xf0 | r >> 18));
		strbuf_addch(out, (char)(0x80 | (r >> 12 & 0x3f)));
		strbuf_addch(out, (char)(0x80 | (r >> 6 & 0x3f)));
		strbuf_addch(out, (char)(0x80 | (r & 0x3f)));
	}
}

/* The Go interpreted string literal s[0..n) (quotes included), unquoted
 * into out (strconv.Unquote's escapes). 0 or -1 if it is not one. */
static int go_unquote(const char *s, size_t n, struct strbuf *out)
{
	static const char esc[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''";

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return -1;
	for (size_t i = 1; i < n - 1; i++) {
		const char *e;
		int digits = 0, base = 16;
		uint32_t v = 0;

		if (s[i] != '\\') {
			strbuf_addch(out, s[i]);
			continue;
		}
		if (++i >= n - 1)
			return -1;
		if ((e = strchr(esc, s[i])) && !((e - esc) & 1)) {
			strbuf_addch(out, e[1]);
			continue;
		}
		switch (s[i]) {
		case 'x': digits = 2; break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		default:
			if (s[i] < '0' || s[i] > '7')
				return -1;
			digits = 3, base = 8, i--; /* \NNN: the digits start here */
		}
		for (int k = 0; k < digits; k++) {
			int d = ++i < n - 1 ? hexval(s[i]) : -1;
			if (d < 0 || d >= base)
				return -1;
			v = v * (uint32_t)base + (uint32_t)d;
		}
		if (digits <= 3)
			strbuf_addch(out, (char)v); /* a byte */
		else
			add_utf8(out, v);
	}
	return 0;
}

int buildinfo_mark_importcfg(const char *path, const struct buildinfo_mark *m)
{
	struct strbuf cfg = STRBUF_INIT, out = STRBUF_INIT, info = STRBUF_INIT;
	int ret = -1, found = 0;

	if (strbuf_read_file(&cfg, path) < 0) {
		error("cannot read the link's import configuration '%s': %s", path, strerror(errno));
		goto out;
	}
	for (const char *l = cfg.buf; *l;) {
		size_t n = strcspn(l, "\n");
		if (!found && !strncmp(l, "modinfo ", 8)) {
			if (go_unquote(l + 8, n - 8, &info) < 0 || info.len < 32 ||
			    memcmp(info.buf, info_start, 16) ||
			    memcmp(info.buf + info.len - 16, info_end, 16)) {
				error("'%s': a modinfo line goinstr cannot read", path);
				goto out;
			}
			found = 1;
		} else {
			strbuf_add(&out, l, n);
			strbuf_addch(&out, '\n');
		}
		l += n + (l[n] == '\n');
	}
	if (!found) /* built without module information (a file list) */
		strbuf_add(&info, info_start, 16), strbuf_add(&info, info_end, 16);
	strbuf_setlen(&info, info.len - 16);
	if (info.len > 16 && info.buf[info.len - 1] != '\n')
		strbuf_addch(&info, '\n');
	strbuf_addf(&info, "build\tgoinstr=%s\nbuild\tgoinstr.ops=%s\nbuild\tgoinstr.unsafe=%s\n"
		    "build\tgoinstr.goroot=%s\n", GOINSTR_VERSION, m->ops, m->unsafe,
		    m->trusted ? "trusted" : "verified");
	strbuf_add(&info, info_end, 16);
	strbuf_addstr(&out, "modinfo ");
	strbuf_addgoquoted(&out, info.buf, info.len);
	strbuf_addch(&out, '\n');
	ret = write_file(path, out.buf, out.len, 0600);
out:
	strbuf_release(&cfg);
	strbuf_release(&out);
	strbuf_release(&info);
	return ret;
}

/* A uvarint at *p (below end), moved past; -1 if there is none. */
static int64_t uvarint(const unsigned char **p, const unsigned char *end)
{
	uint64_t v = 0;

	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v > INT64_MAX ? -1 : (int64_t)v;
	}
	return -1;
}

int buildinfo_read(const char *path, struct strbuf *version, struct strbuf *info)
{
	static const char magic[] = "\xff Go buildinf:";
	struct strbuf bin = STRBUF_INIT;
	const unsigned char *p = NULL, *end;
	int ret = 1;

	if (strbuf_read_file(&bin, path) < 0) {
		error("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	end = (const unsigned char *)bin.buf + bin.len;
	/* The blob is 16-byte aligned: a 32-byte header, then (flag 2: Go
	 * 1.18 and later) the version and the module information inline,
	 * each a uvarint length and the bytes. */
	for (size_t off = 0; off + 32 <= bin.len; off += 16)
		if (!memcmp(bin.buf + off, magic, 14)) {
			p = (const unsigned char *)bin.buf + off;
			break;
		}
	if (p && (p[15] & 2)) {
		int64_t n;
		p += 32;
		if ((n = uvarint(&p, end)) < 0 || n > end - p)
			goto out;
		strbuf_add(version, p, (size_t)n);
		p += n;
		if ((n = uvarint(&p, end)) < 0 || n > end - p)
			goto out;
		if (n >= 32 && !memcmp(p, info_start, 16) && !memcmp(p + n - 16, info_end, 16))
			strbuf_add(info, p + 16, (size_t)n - 32);
		ret = 0;
	}
out:
	strbuf_release(&bin);
	return ret;
}

int buildinfo_setting(const char *info, const char *key, struct strbuf *out)
{
	size_t k = strlen(key);

	for (const char *l = info; *l;) {
		size_t n = strcspn(l, "\n");
		if (n > 6 + k && !strncmp(l, "build\t", 6) && !strncmp(l + 6, key, k) &&
		    l[6 + k] == '=') {
			const char *v = l + 7 + k;
			size_t vn = n - 7 - k;
			if (vn >= 2 && *v == '"' && go_unquote(v, vn, out) == 0)
				return 1;
			strbuf_add(out, v, vn);
			return 1;
		}
		l += n + (l[n] == '\n');
	}
	return 0;
}
