/*
 * embedded.c - lookup in the table of embedded files, with an optional
 * override directory.
 */
#include "embedded.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"

static const char *override_dir;
/* Overridden entries, loaded once; parallel to embedded_files. */
static struct embedded *loaded;

void embedded_override(const char *dir)
{
	override_dir = dir;
}

const struct embedded *embedded_find(const char *name)
{
	size_t i;

	for (i = 0; embedded_files[i].name; i++)
		if (!strcmp(embedded_files[i].name, name))
			break;
	if (!embedded_files[i].name)
		return NULL;
	if (override_dir) {
		struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
		size_t n = 0;

		while (embedded_files[n].name)
			n++;
		if (!loaded)
			loaded = xcalloc(n, sizeof(*loaded));
		if (loaded[i].name)
			return &loaded[i];
		strbuf_addf(&path, "%s/%s", override_dir, name);
		if (strbuf_read_file(&data, path.buf) == 0) {
			loaded[i].name = embedded_files[i].name;
			loaded[i].data = (const unsigned char *)strbuf_detach(&data, &loaded[i].len);
			strbuf_release(&path);
			return &loaded[i];
		}
		if (errno != ENOENT) {
			error("cannot read '%s': %s", path.buf, strerror(errno));
			strbuf_release(&path);
			return NULL;
		}
		strbuf_release(&path);
	}
	return &embedded_files[i];
}
