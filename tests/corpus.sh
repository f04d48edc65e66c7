#!/bin/sh
# corpus.sh [--quick] - the unsafe inventory against a ground truth on real
# modules: tests/gtcount (its own go/types walk, sharing no code with
# goinstr-types) counts the unsafe operations of every package outside the
# standard library of tests/corpus (json-iterator + reflect2,
# goccy/go-json, sonic, x/sys/unix, protobuf, modernc.org/libc + sqlite);
# `goinstr sites` must list each one, wrapped or not wrapped with its
# reason: the counts are equal package by package. Prints the table of the
# largest (docs/unsafe.md "Unsafe coverage" keeps one). --quick: the corpus without
# modernc.org/sqlite (./quick), as the Go 1.27 round runs it.
set -u
SUITE=corpus
. "$(dirname "$0")/lib.sh"
pkg=.
[ "${1:-}" = --quick ] && pkg=./quick
(cd "$ROOT/tests/gtcount" && go build -o "$T/gtcount" .) || { notok "build tests/gtcount"; finish; }
cd "$ROOT/tests/corpus" || exit 1
if ! go mod download 2>"$T/dl.err"; then
	skip "the corpus modules cannot be downloaded: $(head -n 1 "$T/dl.err")"
	finish
fi
"$T/gtcount" "$pkg" >"$T/truth" 2>"$T/truth.err"
truth_counted() { [ -s "$T/truth" ] && empty "$T/truth.err"; }
check "the ground truth counts every package ($(wc -l <"$T/truth") packages)" truth_counted
"$GOINSTR" sites "$pkg" >"$T/inv" 2>"$T/inv.err"
check "goinstr sites lists the corpus" [ -s "$T/inv" ]
# table_agrees: no package's counts differ, and the table has its total
table_agrees() { lacks "$T/table" '^MISMATCH' && has "$T/table" '^| all '; }
python3 - "$T/truth" "$T/inv" >"$T/table" <<'EOF'
import collections, json, sys
truth = {l.split()[0]: int(l.split()[1]) for l in open(sys.argv[1])}
listed, wrapped = collections.Counter(), collections.Counter()
reasons = collections.defaultdict(collections.Counter)
for l in open(sys.argv[2]):
    j = json.loads(l)
    if j.get("module") == "std" or not j["op"].startswith("unsafe."):
        continue
    listed[j["package"]] += 1
    if j["wrapped"]:
        wrapped[j["package"]] += 1
    else:
        reasons[j["package"]][j["reason"].split(": ")[0]] += 1
bad = [p for p in set(truth) | set(listed) if truth.get(p, 0) != listed.get(p, 0)]
for p in sorted(bad):
    print("MISMATCH %s: ground truth %d, inventory %d" % (p, truth.get(p, 0), listed.get(p, 0)))
print("| package | unsafe operations (ground truth) | in the inventory | wrapped | not wrapped, why |")
print("|---|---:|---:|---:|---|")
for p in sorted(truth, key=lambda p: -truth[p])[:12]:
    why = "; ".join("%d %s" % (n, r) for r, n in sorted(reasons[p].items()))
    print("| %s | %d | %d | %d | %s |" % (p, truth[p], listed[p], wrapped[p], why or "-"))
print("| all %d packages | %d | %d | %d | |" % (len(truth), sum(truth.values()), sum(listed.values()),
                                              sum(wrapped.values())))
EOF
check "the inventory lists every unsafe operation the ground truth counts, package by package" \
	table_agrees
sed 's/^/# /' "$T/table"
finish
