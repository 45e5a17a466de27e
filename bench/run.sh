#!/bin/sh
# run.sh [PRIVCHECK] - how an audit scales, as ratios measured in one run
# (machines here are shared and noisy: compare ratios, not seconds).
#
# For manifests of 1,000, 10,000 and 40,000 flows it reports:
#   audit/parse  privcheck check time over `xmllint --stream --relaxng`
#                (parsing and schema-validating the same file): the design
#                goal is an audit that costs little more than parsing;
#   per-flow     how time per flow changes from the smallest manifest
#                (1.00 = linear);
#   RSS          peak memory, to show it does not grow with flows beyond
#                the file itself (which privcheck reads whole, capped at
#                16 MiB).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
privcheck=${1:-$top/checker/privcheck}
command -v xmllint >/dev/null || { echo "needs xmllint (libxml2-utils)"; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# secs CMD...: best wall time of three runs, in seconds.
secs() {
    best=
    for _ in 1 2 3; do
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then
            best=$t
        fi
    done
    echo "$best"
}

printf '%8s %10s %10s %12s %9s %10s\n' flows bytes audit/parse per-flow \
    RSS-MiB audit-s
base=
for n in 1000 10000 40000; do
    m=$tmp/m$n.xml
    sh "$here/gen-manifest.sh" "$n" >"$m"
    "$privcheck" check "$m" >/dev/null ||
        { echo "the generated manifest is not clean"; exit 1; }
    a=$(secs "$privcheck" check "$m")
    p=$(secs xmllint --stream --noout --relaxng "$top/checker/manifest.rng" "$m")
    rss=$( { /usr/bin/time -f %M "$privcheck" check "$m" >/dev/null; } 2>&1 |
        tail -n 1)
    per=$(echo "$a / $n" | bc -l)
    [ -n "$base" ] || base=$per
    printf '%8d %10d %10.2f %12.2f %9.1f %10.3f\n' "$n" "$(wc -c <"$m")" \
        "$(echo "$a / $p" | bc -l)" "$(echo "$per / $base" | bc -l)" \
        "$(echo "$rss / 1024" | bc -l)" "$a"
done
