#!/bin/sh
# docs.sh - the docs match the code where a check can tell: every file of
# src/ has its row in docs/architecture.md's map (by name, or as NAME.[ch]),
# every docs/*.md a README link names exists, docs/commands.md (the
# source of goinstr's help) has a section for no command that is not
# there, and no suite asserts through a `sh -c` string (tests/lib.sh:
# helpers and named functions instead). Part of `make check`.
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
: >"$T/nohelp"
grep '^## ' docs/commands.md | sed 's/^## //' | while read -r name; do
	[ "$name" = goinstr ] && continue
	# shellcheck disable=SC2086 # "manifest add": two words
	"$GOINSTR" help $name >"$T/help.out" 2>&1 || { echo "$name" >>"$T/nohelp"; continue; }
	want=$(awk -v h="## $name" '$0 == h { s = 1; next } s && /^    / { sub(/^    /, ""); print; exit }' \
		docs/commands.md)
	[ "$(head -n 1 "$T/help.out")" = "$want" ] || echo "$name" >>"$T/nohelp"
done
check "every section of docs/commands.md is a command whose help prints it ($(tr '\n' ' ' <"$T/nohelp"))" \
	[ ! -s "$T/nohelp" ]

printf '# x\n\n## build\n\n    usage: goinstr build\n' >"$T/bad.md"
"$ROOT/build/cmddocs" "$T/bad.md" "$T/bad.c" "$T/bad.h" 2>"$T/bad.err"; rc=$?
echo "cmddocs: $T/bad.md:5: a section needs one line of summary after its heading" >"$T/bad.want"
check "cmddocs: a section without its summary line fails (exit 1), naming the file and line" \
	test $rc -eq 1 -a "$(cat "$T/bad.err")" = "$(cat "$T/bad.want")"

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
