/*
 * cache.c - goinstr's cache: its root, checked entries, seals (cache.h).
 */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "tree.h"
#include "util.h"

#define KEY_NAME "seal.key"
#define KEY_LEN 32
#define SEAL_SUFFIX ".seal"

static char *root_path; /* once found and checked */

/* Whether st is the user's, private (nothing for group or others) and not
 * a symbolic link. */
static int private_st(const struct stat *st)
{
	return !S_ISLNK(st->st_mode) && st->st_uid == geteuid() && !(st->st_mode & 077);
}

/*
 * Every directory from / down to dir (symbolic links resolved) belongs to
 * the user or root and is writable by no one else, unless sticky: no one
 * else can move what goinstr puts below. 0 or -1 (reported).
 */
static int safe_ancestors(const char *dir, const char *root)
{
	char real[PATH_MAX];
	struct stat st;

	if (!realpath(dir, real))
		return error("cannot resolve '%s': %s", dir, strerror(errno));
	for (char *p = real;; p++) {
		char c = *p;
		if (c != '/' && c)
			continue;
		*p = '\0';
		if (stat(*real ? real : "/", &st) < 0)
			return error("cannot read '%s': %s", *real ? real : "/", strerror(errno));
		if ((st.st_uid != geteuid() && st.st_uid != 0) ||
		    ((st.st_mode & 022) && !(st.st_mode & S_ISVTX)))
			return error("'%s', above goinstr's cache '%s', can be changed by others "
				     "(owner %u, mode %03o): point XDG_CACHE_HOME at a directory of "
				     "yours", *real ? real : "/", root, (unsigned)st.st_uid,
				     (unsigned)(st.st_mode & 07777));
		*p = c;
		if (!c)
			return 0;
	}
}

/*
 * Tighten path (the user's, not a link, writable by no one else) to
 * private, as the logger tightens a log: no one else could have changed
 * it, only read it. Opened without following a link. 0, or -1.
 */
static int tighten(const char *path, const struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), ret;

	if (fd < 0)
		return -1;
	ret = fchmod(fd, st->st_mode & 0700);
	close(fd);
	if (!ret)
		warning("'%s' was readable by others (mode %03o): made private", path,
			(unsigned)(st->st_mode & 07777));
	return ret;
}

/* The checks of an existing path: 0, or -1 (reported, with what). A path
 * of the user's that only others' read bits keep from private is made so
 * (tighten). */
static int refuse_unless_private(const char *path, const struct stat *st, const char *what)
{
	if (S_ISLNK(st->st_mode))
		return error("%s '%s' is a symbolic link: goinstr uses only a cache of its own "
			     "(remove it)", what, path);
	if (!private_st(st) && (st->st_uid != geteuid() || (st->st_mode & 022) ||
				tighten(path, st) < 0))
		return error("%s '%s' is not private (owner %u, mode %03o): goinstr uses only a "
			     "cache no one else can change (make it yours and mode 700, or remove "
			     "it)", what, path, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
	return 0;
}

/* Where the root is: see cache.h. 0, or -1 (reported). */
static int root_name(struct strbuf *out)
{
	static const struct { const char *var, *sub; } where[] = {
		{ "XDG_CACHE_HOME", "goinstr" },
		{ "HOME", ".cache/goinstr" },
		{ "GOCACHE", "goinstr" },
	};

	for (size_t i = 0; i < sizeof(where) / sizeof(*where); i++) {
		const char *v = getenv(where[i].var);
		if (v && *v == '/') {
			strbuf_addf(out, "%s/%s", v, where[i].sub);
			return 0;
		}
	}
	return error("goinstr's cache needs a directory of the user's: set HOME, "
		     "XDG_CACHE_HOME or GOCACHE (an absolute path)");
}

int cache_root(struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	char *slash, *parent = NULL;
	int ret = -1;

	if (root_path) {
		strbuf_addstr(out, root_path);
		return 0;
	}
	if (root_name(&path) < 0)
		goto out;
	slash = strrchr(path.buf, '/');
	parent = xstrndup(path.buf, slash > path.buf ? (size_t)(slash - path.buf) : 1);
	if (mkdir_p(parent, 0700) < 0 || safe_ancestors(parent, path.buf) < 0)
		goto out;
	if (mkdir(path.buf, 0700) < 0 && errno != EEXIST) {
		error("cannot create '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	if (lstat(path.buf, &st) < 0) {
		error("cannot read '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	if (refuse_unless_private(path.buf, &st, "goinstr's cache") < 0)
		goto out;
	if (!S_ISDIR(st.st_mode)) {
		error("goinstr's cache '%s' is not a directory (remove it)", path.buf);
		goto out;
	}
	root_path = xstrdup(path.buf);
	strbuf_addstr(out, root_path);
	ret = 0;
out:
	free(parent);
	strbuf_release(&path);
	return ret;
}

/* The checks of an entry (or any path in the cache) that exists: 0 if it
 * passes, 1 if path does not exist, -1 if refused (reported). */
static int check_entry(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 1;
		return error("cannot read '%s': %s", path, strerror(errno));
	}
	return refuse_unless_private(path, &st, "cache entry");
}

/* ROOT/KIND, made if missing and checked (the root too), appended to out.
 * 0 or -1 (reported). */
static int kind_dir(const char *kind, struct strbuf *out)
{
	size_t at = out->len;

	if (cache_root(out) < 0)
		return -1;
	strbuf_addf(out, "/%s", kind);
	if (mkdir(out->buf, 0700) < 0 && errno != EEXIST)
		return error("cannot create '%s': %s", out->buf, strerror(errno));
	if (check_entry(out->buf) != 0) {
		strbuf_setlen(out, at);
		return -1;
	}
	return 0;
}

/* --- the secret and seals ----------------------------------------------- */

/* Read the secret from an open file, checked. 0 or -1 (reported). */
static int key_from(int fd, const char *path, unsigned char *key)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_size != KEY_LEN)
		return error("'%s' is not goinstr's seal key (remove it)", path);
	if (!private_st(&st)) /* never tightened: a secret others could read is none */
		return error("goinstr's seal key '%s' is not private (owner %u, mode %03o): remove "
			     "it (goinstr makes another)", path, (unsigned)st.st_uid,
			     (unsigned)(st.st_mode & 07777));
	if (pread(fd, key, KEY_LEN, 0) != KEY_LEN)
		return error("cannot read '%s': %s", path, strerror(errno));
	return 0;
}

/* Make the secret: random bytes in a temporary file, linked to its name
 * (never replacing one another goinstr made first). 0 or -1 (reported). */
static int key_make(const char *path)
{
	struct strbuf tmp = STRBUF_INIT;
	unsigned char key[KEY_LEN];
	int fd, ret = 0;

	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return error("cannot make a seal key: %s", strerror(errno));
	strbuf_addf(&tmp, "%s.tmpXXXXXX", path);
	if ((fd = mkostemp(tmp.buf, O_CLOEXEC)) < 0) {
		ret = error("cannot create '%s': %s", tmp.buf, strerror(errno));
		goto out;
	}
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) || fchmod(fd, 0600) < 0)
		ret = error("cannot write '%s': %s", tmp.buf, strerror(errno));
	close(fd);
	if (!ret && link(tmp.buf, path) < 0 && errno != EEXIST)
		ret = error("cannot create '%s': %s", path, strerror(errno));
	unlink(tmp.buf);
out:
	strbuf_release(&tmp);
	return ret;
}

/* The cache's secret, made if missing. 0 or -1 (reported). */
static int key_load(unsigned char *key)
{
	struct strbuf path = STRBUF_INIT;
	int fd = -1, ret = -1;

	if (cache_root(&path) < 0)
		goto out;
	strbuf_addstr(&path, "/" KEY_NAME);
	fd = open(path.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (key_make(path.buf) < 0)
			goto out;
		fd = open(path.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == ELOOP)
			error("goinstr's seal key '%s' is a symbolic link (remove it)", path.buf);
		else
			error("cannot read '%s': %s", path.buf, strerror(errno));
		goto out;
	}
	ret = key_from(fd, path.buf, key);
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&path);
	return ret;
}

/* The digest of an entry's files (tree_walk's context). */
struct digest {
	struct sha256 h;
	struct strbuf *content; /* a file entry's contents, if wanted */
	int bad;                /* something that has no place in an entry */
};

static int digest_one(void *ctx, const struct tree_entry *e)
{
	struct digest *d = ctx;
	struct strbuf data = STRBUF_INIT;

	if ((e->kind != TREE_DIR && e->kind != TREE_FILE) || !private_st(e->st) ||
	    (e->kind == TREE_FILE && e->st->st_nlink != 1)) {
		d->bad = 1;
		return -1;
	}
	sha256_field(&d->h, e->rel, strlen(e->rel) + 1);
	sha256_field(&d->h, e->kind == TREE_DIR ? "d" : "f", 1);
	if (e->kind == TREE_FILE) {
		if (strbuf_read_file(&data, e->path) < 0) {
			d->bad = 1;
			strbuf_release(&data);
			return -1;
		}
		sha256_field(&d->h, data.buf, data.len);
		if (d->content && !*e->rel)
			strbuf_add(d->content, data.buf, data.len);
	}
	strbuf_release(&data);
	return 0;
}

/*
 * The seal of the entry at path (named kind/name) into hex: 0, or -1 if
 * it holds what no entry may (reported by nobody: the caller decides).
 */
static int seal_of(const char *path, const char *kind, const char *name,
		   struct strbuf *content, struct strbuf *hex)
{
	unsigned char key[KEY_LEN];
	struct digest d = { .content = content };
	struct strbuf msg = STRBUF_INIT, sum = STRBUF_INIT;
	int ret;

	if (key_load(key) < 0)
		return -1;
	sha256_init(&d.h);
	ret = tree_walk(path, 0, digest_one, &d);
	sha256_hex(&d.h, &sum);
	if (ret < 0 || d.bad) {
		ret = -1;
		goto out;
	}
	strbuf_addf(&msg, "goinstr cache seal 1%c%s%c%s%c%s", 0, kind, 0, name, 0, sum.buf);
	hmac_sha256_hex(key, sizeof(key), msg.buf, msg.len, hex);
	ret = 0;
out:
	strbuf_release(&msg);
	strbuf_release(&sum);
	return ret;
}

/* ROOT/KIND/NAME into e, checked as far as the kind directory. */
static int entry_init(struct cache_entry *e, const char *kind, const char *name)
{
	strbuf_init(&e->path, 0);
	strbuf_init(&e->tmp, 0);
	e->kind = xstrdup(kind);
	e->name = xstrdup(name);
	if (strchr(name, '/') || *name == '.' || !*name)
		return error("internal error: cache entry name '%s'", name);
	if (kind_dir(kind, &e->path) < 0)
		return -1;
	strbuf_addf(&e->path, "/%s", name);
	return 0;
}

/* Remove an entry and its seal (what is there of them). */
static void entry_remove(const char *path)
{
	struct strbuf seal = STRBUF_INIT;

	strbuf_addf(&seal, "%s" SEAL_SUFFIX, path);
	remove_tree(path);
	unlink(seal.buf);
	strbuf_release(&seal);
}

/*
 * Whether the entry at e->path is there and matches its seal: 1 yes, 0 no
 * (removed; warned about if it was sealed), -1 refused (reported).
 */
static int entry_verify(struct cache_entry *e, struct strbuf *content)
{
	struct strbuf seal = STRBUF_INIT, want = STRBUF_INIT, got = STRBUF_INIT;
	struct stat st;
	int ret;

	if ((ret = check_entry(e->path.buf)) != 0)
		return ret < 0 ? -1 : 0;
	strbuf_addf(&seal, "%s" SEAL_SUFFIX, e->path.buf);
	if (lstat(seal.buf, &st) < 0) {
		entry_remove(e->path.buf); /* never sealed: a half or older entry */
		ret = 0;
		goto out;
	}
	if (refuse_unless_private(seal.buf, &st, "cache seal") < 0) {
		ret = -1;
		goto out;
	}
	if (strbuf_read_file(&want, seal.buf) < 0 || seal_of(e->path.buf, e->kind, e->name,
							       content, &got) < 0 ||
	    want.len != got.len + 1 || memcmp(want.buf, got.buf, got.len)) {
		warning("cache entry '%s' does not match its seal: removed (goinstr makes it "
			"again)", e->path.buf);
		entry_remove(e->path.buf);
		if (content)
			strbuf_reset(content);
		ret = 0;
		goto out;
	}
	utimensat(AT_FDCWD, e->path.buf, NULL, AT_SYMLINK_NOFOLLOW); /* used: keep it */
	ret = 1;
out:
	strbuf_release(&seal);
	strbuf_release(&want);
	strbuf_release(&got);
	return ret;
}

int cache_lookup(const char *kind, const char *name, struct cache_entry *e)
{
	if (entry_init(e, kind, name) < 0)
		return -1;
	return entry_verify(e, NULL);
}

int cache_begin(const char *kind, const char *name, struct cache_entry *e)
{
	if (entry_init(e, kind, name) < 0)
		return -1;
	strbuf_addf(&e->tmp, "%s.tmpXXXXXX", e->path.buf);
	if (!mkdtemp(e->tmp.buf)) {
		error("cannot create '%s': %s", e->tmp.buf, strerror(errno));
		strbuf_reset(&e->tmp);
		return -1;
	}
	return 0;
}

/* Seal e->tmp (a directory or file made beside e->path) and rename it into
 * place. 0 or -1 (reported). */
static int publish(struct cache_entry *e)
{
	struct strbuf hex = STRBUF_INIT, seal = STRBUF_INIT;
	int ret = 0;

	if (seal_of(e->tmp.buf, e->kind, e->name, NULL, &hex) < 0) {
		ret = error("cannot seal '%s': it holds what a cache entry may not", e->tmp.buf);
		goto out;
	}
	strbuf_addch(&hex, '\n');
	strbuf_addf(&seal, "%s" SEAL_SUFFIX, e->path.buf);
	/* The seal first: whoever finds the new entry finds its seal. */
	if ((ret = write_file(seal.buf, hex.buf, hex.len, 0600)) < 0)
		goto out;
	if (rename(e->tmp.buf, e->path.buf) < 0) {
		if ((errno != EEXIST && errno != ENOTEMPTY) || entry_verify(e, NULL) != 1) {
			/* Not another goinstr's equal entry: replace it. */
			remove_tree(e->path.buf);
			if ((ret = write_file(seal.buf, hex.buf, hex.len, 0600)) < 0)
				goto out;
			if (rename(e->tmp.buf, e->path.buf) < 0) {
				ret = error("cannot rename '%s': %s", e->tmp.buf, strerror(errno));
				goto out;
			}
		}
	}
	strbuf_reset(&e->tmp); /* in place (or superseded: removed below) */
out:
	strbuf_release(&hex);
	strbuf_release(&seal);
	return ret;
}

int cache_commit(struct cache_entry *e)
{
	struct strbuf tmp = STRBUF_INIT;
	int ret;

	strbuf_addstr(&tmp, e->tmp.buf);
	ret = publish(e);
	remove_tree(tmp.buf); /* a no-op once renamed */
	strbuf_release(&tmp);
	return ret;
}

void cache_entry_release(struct cache_entry *e)
{
	if (e->tmp.len)
		remove_tree(e->tmp.buf);
	strbuf_release(&e->path);
	strbuf_release(&e->tmp);
	free(e->kind);
	free(e->name);
	e->kind = e->name = NULL;
}

int cache_read(const char *kind, const char *name, struct strbuf *data)
{
	struct cache_entry e;
	size_t at = data->len;
	struct strbuf got = STRBUF_INIT;
	int ret;

	if (entry_init(&e, kind, name) < 0) {
		cache_entry_release(&e);
		return -1;
	}
	ret = entry_verify(&e, &got);
	if (ret == 1)
		strbuf_add(data, got.buf, got.len);
	else
		strbuf_setlen(data, at);
	strbuf_release(&got);
	cache_entry_release(&e);
	return ret;
}

int cache_write(const char *kind, const char *name, const void *data, size_t len)
{
	struct cache_entry e;
	int ret = -1, fd;

	if (entry_init(&e, kind, name) < 0)
		goto out;
	strbuf_addf(&e.tmp, "%s.tmpXXXXXX", e.path.buf);
	if ((fd = mkostemp(e.tmp.buf, O_CLOEXEC)) < 0) {
		error("cannot create '%s': %s", e.tmp.buf, strerror(errno));
		strbuf_reset(&e.tmp);
		goto out;
	}
	ret = write_all(fd, data, len) < 0 || fchmod(fd, 0600) < 0 ? -1 : 0;
	if (close(fd) < 0 || ret < 0) {
		ret = error("cannot write '%s': %s", e.tmp.buf, strerror(errno));
		goto out;
	}
	ret = cache_commit(&e);
out:
	cache_entry_release(&e);
	return ret;
}

/* --- trimming and checking all ------------------------------------------- */

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

void cache_trim(const char *kind, long max_age, long every)
{
	struct strbuf dir = STRBUF_INIT, mark = STRBUF_INIT, path = STRBUF_INIT;
	struct argv names = ARGV_INIT;
	time_t now = time(NULL);
	struct stat st;

	if (kind_dir(kind, &dir) < 0)
		goto out;
	strbuf_addf(&mark, "%s/.trimmed", dir.buf);
	if (stat(mark.buf, &st) == 0 && now - st.st_mtime < every)
		goto out;
	write_file(mark.buf, "", 0, 0600);
	if (tree_list(dir.buf, &names) < 0)
		goto out;
	for (size_t i = 0; i < names.nr; i++) {
		const char *name = names.v[i];
		if (name[0] == '.')
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, name);
		if (lstat(path.buf, &st) < 0 || now - st.st_mtime <= max_age)
			continue;
		if (!has_suffix(name, SEAL_SUFFIX)) {
			entry_remove(path.buf);
		} else { /* a seal whose entry is gone */
			strbuf_setlen(&path, path.len - strlen(SEAL_SUFFIX));
			if (lstat(path.buf, &st) < 0 && errno == ENOENT)
				entry_remove(path.buf);
		}
	}
out:
	argv_release(&names);
	strbuf_release(&dir);
	strbuf_release(&mark);
	strbuf_release(&path);
}

/* One entry of cache_check_since: 0, or -1 (reported; removed). */
static int check_one(const char *kind, const char *dir, const char *name, time_t since)
{
	struct cache_entry e;
	struct strbuf seal = STRBUF_INIT;
	struct stat st;
	int ret = 0;

	strbuf_init(&e.path, 0);
	strbuf_init(&e.tmp, 0);
	e.kind = xstrdup(kind);
	e.name = xstrdup(name);
	strbuf_addf(&e.path, "%s/%s", dir, name);
	strbuf_addf(&seal, "%s" SEAL_SUFFIX, e.path.buf);
	if (lstat(e.path.buf, &st) < 0 || st.st_ctime < since)
		goto out; /* not made or used since */
	if (check_entry(e.path.buf) < 0)
		ret = -1;
	else if (lstat(seal.buf, &st) == 0 && entry_verify(&e, NULL) != 1)
		ret = -1; /* said and removed by entry_verify */
out:
	strbuf_release(&seal);
	cache_entry_release(&e);
	return ret;
}

/* The entries and seals of one kind of cache_check_since: 0, or -1 (reported). */
static int check_kind(const char *kind, const char *dir, time_t since)
{
	struct strbuf path = STRBUF_INIT;
	struct argv names = ARGV_INIT;
	int ret = 0;

	if (tree_list(dir, &names) < 0)
		return 0; /* a file, not a kind */
	for (size_t i = 0; i < names.nr; i++) {
		const char *name = names.v[i];
		if (name[0] == '.')
			continue;
		if (has_suffix(name, SEAL_SUFFIX)) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", dir, name);
			if (check_entry(path.buf) < 0) {
				unlink(path.buf);
				ret = -1;
			}
		} else if (check_one(kind, dir, name, since) < 0) {
			ret = -1;
		}
	}
	argv_release(&names);
	strbuf_release(&path);
	return ret;
}

int cache_check_since(time_t since)
{
	struct strbuf root = STRBUF_INIT, dir = STRBUF_INIT;
	struct argv kinds = ARGV_INIT;
	int ret = 0;

	if (cache_root(&root) < 0 || tree_list(root.buf, &kinds) < 0) {
		ret = -1;
		goto out;
	}
	for (size_t i = 0; i < kinds.nr; i++) {
		const char *kind = kinds.v[i];
		if (kind[0] == '.' || !strcmp(kind, KEY_NAME))
			continue; /* the key is checked wherever it is read */
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/%s", root.buf, kind);
		if (check_entry(dir.buf) < 0)
			ret = -1;
		else if (check_kind(kind, dir.buf, since) < 0)
			ret = -1;
	}
out:
	argv_release(&kinds);
	strbuf_release(&root);
	strbuf_release(&dir);
	return ret;
}
