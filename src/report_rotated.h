/*
 * report_rotated.h - the files a LOG argument of goinstr report stands
 * for: LOG and the files the logger (INSTRUMENTATION_LOG_KEEP) or
 * logrotate rotated from it, oldest first; and the files beside it that
 * look rotated from it but that a report cannot read.
 */
#ifndef REPORT_ROTATED_H
#define REPORT_ROTATED_H

#include <stddef.h>

#include "util.h"

/*
 * Expand a LOG argument to its rotated files, oldest first: LOG.N ...
 * LOG.1, LOG (those of LOG's directory, each LOG.K or else LOG.K.gz;
 * LOG itself always; "-" alone). Strings are owned by the caller (free
 * each). Returns the count. The other files of LOG's directory that look
 * rotated from it, which a report cannot read (LOG.K.gz.age, LOG.K.xz,
 * logrotate's dateext LOG-DATE...), are added to unread if not NULL.
 */
size_t report_rotated(const char *log, char ***out, struct argv *unread);

#endif
