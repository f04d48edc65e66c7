/*
 * gorelease.h - the order of Go release names, as the release manifests
 * (manifest.h) are packed and listed: by version, a final release after
 * its release candidates and those after its betas (go1.26beta1 <
 * go1.26rc2 < go1.26.0 < go1.26.8), then by platform
 * ("go1.26.8.linux-amd64" < "go1.26.8.linux-arm64").
 */
#ifndef GORELEASE_H
#define GORELEASE_H

/* strcmp's answer for two names "goVERSION[.GOOS-GOARCH]". The names are
 * not checked (their readers check them). Cannot fail. */
int gorelease_cmp(const char *a, const char *b);

#endif
