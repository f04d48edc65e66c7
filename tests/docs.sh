#!/bin/sh
# docs.sh - the docs match the code where a check can tell: every file of
# src/ has its row in docs/architecture.md's map (by name, or as NAME.[ch]),
# every docs/*.md a README link names exists, and no suite asserts through a
# `sh -c` string (tests/lib.sh: helpers and named functions instead). Part
# of `make check`.
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

# A check whose command is `sh -c STRING` (its line joined with the ones a
# trailing backslash continues), unless marked "# sh -c on purpose: WHY".
awk '
	FNR == 1 { l = "" }
	/^[ \t]*#/ { next }
	{ if (l == "") { start = FNR }; l = l $0 }
	/\\$/ { sub(/\\$/, "", l); next }
	l ~ /(^|[^a-z_])check[ \t].*[ \t]sh[ \t]+-c([ \t]|$)/ && l !~ /# sh -c on purpose: / {
		print FILENAME ":" start
	}
	{ l = "" }
' tests/*.sh >"$T/shc"
check "no check asserts through a shell string (tests/lib.sh helpers instead) ($(tr '\n' ' ' <"$T/shc"))" [ ! -s "$T/shc" ]
finish
