#!/bin/sh
# docs.sh - the docs match the code where a check can tell: every file of
# src/ has its row in docs/architecture.md's map (by name, or as NAME.[ch]),
# and every docs/*.md a README link names exists. Part of `make check`.
set -u
SUITE=docs
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1

: >"$T/missing"
for f in src/*.c src/*.h; do
	b=${f#src/}
	stem=${b%.*}
	grep -qF -e "\`$b\`" -e "\`$stem.[ch]\`" "docs/architecture.md" || echo "$b" >>"$T/missing"
done
check "every src/ file is in docs/architecture.md's map ($(tr '\n' ' ' <"$T/missing"))" [ ! -s "$T/missing" ]

: >"$T/dead"
for d in $(grep -o '(docs/[A-Za-z0-9_.-]*\.md' README.md | sed 's/^(//' | sort -u); do
	[ -f "$d" ] || echo "$d" >>"$T/dead"
done
check "every docs/ file the README links exists ($(tr '\n' ' ' <"$T/dead"))" [ ! -s "$T/dead" ]
finish
