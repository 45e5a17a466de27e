#!/bin/sh
# run.sh [PRIVCHECK] - `make bench`: what a full audit costs next to
# libxml2 merely parsing the same file (`xmllint --stream --noout`, the
# floor), at several sizes, clean and with 20% violating flows; start-up;
# -j 2 scaling; a profile's top entries when perf is there. It measures
# and prints; it asserts nothing (tests assert, benchmarks measure).
#
# Environment:
#   BENCH_SIZES       flows per manifest (default "10000 100000 1000000")
#   BENCH_RUNS        runs per command, median taken (default 5)
#   BENCH_RUNS_LARGE  runs for sizes of 1,000,000 flows and more (default
#                     BENCH_RUNS); the table says how many were taken
#   BENCH_PROFILE     flows of the profiled run (default 100000; 0: none)
#   BENCH_DIR         where manifests are generated (default a temporary
#                     directory, removed at the end)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
privcheck=${1:-$top/checker/privcheck}
sizes=${BENCH_SIZES:-10000 100000 1000000}
runs=${BENCH_RUNS:-5}
runs_large=${BENCH_RUNS_LARGE:-$runs}
profile=${BENCH_PROFILE:-100000}
command -v xmllint >/dev/null || { echo "needs xmllint (libxml2-utils)"; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)"; exit 2; }
if [ -n "${BENCH_DIR:-}" ]; then
    tmp=$BENCH_DIR
    mkdir -p "$tmp"
else
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-bench.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
fi

# The start-up cache (checker/cache.h) of these runs, not the user's.
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
unset PRIVCHECK_NO_CACHE

# one CMD...: run once, stdout to $out (default /dev/null); prints
# "wall-seconds rss-KiB exit-status".
out=/dev/null
one() {
    t0=$(date +%s.%N)
    st=0
    /usr/bin/time -f %M -o "$tmp/rss" "$@" >"$out" 2>"$tmp/err" || st=$?
    t1=$(date +%s.%N)
    printf '%s %s %s\n' "$(echo "$t1 - $t0" | bc -l)" "$(tail -n 1 "$tmp/rss")" "$st"
}

# median FILE COLUMN: the median of one column of numbers.
median() {
    cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 }
        END { if (NR % 2) print v[(NR + 1) / 2];
              else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "privcheck $("$privcheck" --version 2>/dev/null | head -n 1), $(xmllint --version 2>&1 | head -n 1)"
echo "machine: $(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(free -m | awk '/^Mem:/ { print $2 }') MiB, $(uname -sr)"
echo
printf '%-9s %-6s %7s %5s %9s %9s %7s %11s %9s %8s\n' flows kind MB runs \
    audit-s floor-s ratio flows/s RSS-MiB findings
for n in $sizes; do
    r=$runs
    [ "$n" -lt 1000000 ] || r=$runs_large
    for pct in 0 20; do
        kind=clean
        [ "$pct" = 0 ] || kind=viol$pct
        m=$tmp/m$n-$pct.xml
        [ -s "$m" ] || sh "$here/gen-manifest.sh" "$n" "$pct" >"$m"
        : >"$tmp/a"
        : >"$tmp/f"
        i=0
        while [ "$i" -lt "$r" ]; do
            # Alternating, so that drift on a shared machine hits both.
            # The last audit's report goes to a file, for its summary.
            [ "$i" -lt $((r - 1)) ] || out=$tmp/report.txt
            one "$privcheck" check "$m" >>"$tmp/a"
            out=/dev/null
            one xmllint --stream --noout "$m" >>"$tmp/f"
            i=$((i + 1))
        done
        # The last audit's summary line: errors + warnings + notes.
        st=$(tail -n 1 "$tmp/a" | cut -d' ' -f3)
        if [ "$st" -gt 1 ]; then
            nf="exit-$st"
        else
            nf=$(tail -n 1 "$tmp/report.txt" | awk '/no findings/ { print 0; exit }
                { n = 0; for (i = 1; i <= NF; i++)
                      if ($i ~ /^(error|warning|note)s?,?$/) n += $(i - 1)
                  print n }')
        fi
        rm -f "$tmp/report.txt"
        a=$(median "$tmp/a" 1)
        f=$(median "$tmp/f" 1)
        rss=$(median "$tmp/a" 2)
        mb=$(echo "$(wc -c <"$m") / 1048576" | bc -l)
        if [ "$st" -le 1 ]; then
            printf '%-9s %-6s %7.1f %5s %9.3f %9.3f %7.2f %11.0f %9.1f %8s\n' \
                "$n" "$kind" "$mb" "$r" "$a" "$f" "$(echo "$a / $f" | bc -l)" \
                "$(echo "$n / $a" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$nf"
        else
            printf '%-9s %-6s %7.1f %5s %9s %9.3f %7s %11s %9s %8s\n' \
                "$n" "$kind" "$mb" "$r" refused "$f" - - - "$nf"
            sed 's/^/    /' "$tmp/err" | head -n 1
        fi
    done
done
echo "(median of runs; audit: privcheck check, all rules, text report to"
echo " /dev/null, the last run's to a file; floor: xmllint --stream --noout; ratio = audit/floor;"
echo " RSS: peak of the audit; findings: errors + warnings + notes of its"
echo " summary line)"

echo
echo "start-up (median of $runs runs each way, alternating; ms, RSS MiB):"
echo "  (cached: the start-up cache filled by an earlier run; cold: PRIVCHECK_NO_CACHE=1)"
printf '  %-44s %7s %6s %7s %6s\n' command cached RSS cold RSS
sh "$here/gen-manifest.sh" 0 >"$tmp/empty.xml"
for what in "check $tmp/empty.xml" "check $top/fixtures/compliant-practice-web.xml" \
    "explain SEN-001" "classify ssn" "rules" "--version"; do
    : >"$tmp/s"
    : >"$tmp/c"
    # shellcheck disable=SC2086
    "$privcheck" $what >/dev/null 2>&1 || :
    i=0
    while [ "$i" -lt "$runs" ]; do
        # shellcheck disable=SC2086
        one "$privcheck" $what >>"$tmp/s"
        # shellcheck disable=SC2086
        PRIVCHECK_NO_CACHE=1 one "$privcheck" $what >>"$tmp/c"
        i=$((i + 1))
    done
    printf '  %-44s %7.1f %6.1f %7.1f %6.1f\n' \
        "$(echo "$what" | sed "s|$tmp/||; s|$top/||")" \
        "$(echo "$(median "$tmp/s" 1) * 1000" | bc -l)" \
        "$(echo "$(median "$tmp/s" 2) / 1024" | bc -l)" \
        "$(echo "$(median "$tmp/c" 1) * 1000" | bc -l)" \
        "$(echo "$(median "$tmp/c" 2) / 1024" | bc -l)"
done

# -j scaling on two manifests of the largest size up to 100,000 flows.
jn=
for n in $sizes; do
    [ "$n" -gt 100000 ] || jn=$n
done
if [ -n "$jn" ]; then
    a=$tmp/m$jn-0.xml
    b=$tmp/j$jn.xml
    cp "$a" "$b"
    : >"$tmp/j1"
    : >"$tmp/j2"
    i=0
    while [ "$i" -lt "$runs" ]; do
        one "$privcheck" check -j 1 "$a" "$b" >>"$tmp/j1"
        one "$privcheck" check -j 2 "$a" "$b" >>"$tmp/j2"
        i=$((i + 1))
    done
    j1=$(median "$tmp/j1" 1)
    j2=$(median "$tmp/j2" 1)
    echo
    printf -- '-j scaling, two clean %s-flow manifests: -j 1 %.3f s, -j 2 %.3f s, speed-up %.2fx\n' \
        "$jn" "$j1" "$j2" "$(echo "$j1 / $j2" | bc -l)"
fi

if [ "$profile" != 0 ] && command -v perf >/dev/null &&
    perf record -o "$tmp/perf.probe" true >/dev/null 2>&1; then
    m=$tmp/m$profile-0.xml
    [ -s "$m" ] || sh "$here/gen-manifest.sh" "$profile" 0 >"$m"
    echo
    echo "profile (perf record, clean $profile-flow audit; self time, top 12):"
    perf record -q -o "$tmp/perf.data" "$privcheck" check "$m" >/dev/null 2>&1 || true
    perf report -i "$tmp/perf.data" --stdio --no-children --sort dso,symbol 2>/dev/null |
        grep -E '^ +[0-9.]+%' | head -n 12
fi
