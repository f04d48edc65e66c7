/*
 * gocache.h - what a build run in --isolate's sandbox left in GOCACHE,
 * checked after it (isolate.c): the sandbox lets the go command write
 * there, so what it wrote is held to what the go command writes.
 */
#ifndef GOCACHE_H
#define GOCACHE_H

#include <time.h>

/*
 * Every output in the GOCACHE at dir changed since `since` (its ctime)
 * must hash to its name (the go command names outputs by their SHA-256),
 * and none may be a symbolic link. What fails is removed. 0, or -1 (each
 * reported).
 */
int gocache_check(const char *dir, time_t since);

#endif
