#!/bin/sh
# run.sh - run one fuzz target built by build.sh, seeded from
# tests/fuzz/corpus/TARGET and the test inputs of the tree:
#
#   tests/fuzz/run.sh TARGET [SECONDS [libFuzzer options...]]
#
# TARGET is manifest, rule_expr, classify, policy, waivers, baseline,
# dates, rules, classifiers, ruletests or jwrite;
# SECONDS defaults to
# 120 (300 for manifest). The growing corpus is kept in
# _build/fuzz/corpus/TARGET, crashes, timeouts, leaks and slow inputs go to
# _build/fuzz/artifacts/ (save real ones under tests/fuzz/crashes/).
# FUZZ_OUT changes _build/fuzz.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$top/_build/fuzz}
t=${1:?usage: run.sh manifest|rule_expr|classify|policy|waivers|baseline|dates|rules|classifiers|ruletests|jwrite [SECONDS [OPTIONS]]}
shift
secs=${1:-}
[ $# -gt 0 ] && shift

seeds=$here/corpus/$t
extra=
case $t in
manifest)
    secs=${secs:-300}
    extra="-dict=$here/manifest.dict -max_len=32768"
    seeds="$seeds $top/fixtures $top/tests/data/manifest $top/tests/data/hostile"
    ;;
policy)
    extra="-max_len=65536"
    seeds="$seeds $top/tests/data/policy $top/policy"
    ;;
waivers)
    extra="-dict=$here/manifest.dict -max_len=16384"
    seeds="$seeds $top/fixtures/violations $top/fixtures/near-misses"
    ;;
baseline) extra="-max_len=65536" ;;
rule_expr) extra="-max_len=4096" ;;
classify) extra="-max_len=2048" ;;
dates) extra="-max_len=64" ;;
jwrite) extra="-max_len=4096" ;;
rules)
    extra="-dict=$here/rules.dict -max_len=32768"
    seeds="$seeds $top/rules"
    ;;
classifiers)
    extra="-dict=$here/rules.dict -max_len=16384"
    ;;
ruletests)
    extra="-dict=$here/rules.dict -max_len=8192"
    ;;
*)
    echo "run.sh: unknown target $t" >&2
    exit 2
    ;;
esac
secs=${secs:-120}
bin=$out/fuzz_$t
[ -x "$bin" ] || {
    echo "run.sh: $bin not built; run tests/fuzz/build.sh" >&2
    exit 2
}
mkdir -p "$out/corpus/$t" "$out/artifacts"
# libFuzzer reads seed directories recursively and writes only to the
# first; inputs slower than 1 s are saved as slow-unit-* (DESIGN §7).
# shellcheck disable=SC2086
exec "$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
    -report_slow_units=1 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$t-" $extra "$@" \
    "$out/corpus/$t" $seeds
