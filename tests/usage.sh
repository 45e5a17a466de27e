#!/bin/sh
# usage.sh - the command line's refusals, one by one: each bad usage
# exits 2 with a message that names what was wrong, and writes nothing to
# standard output. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-usage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
fx=$SRCDIR/fixtures/violations/SEN-001.xml

# refuses WHAT ARGS...: privcheck ARGS exits 2, prints nothing on
# standard output, and says WHAT (a fixed string) on standard error.
refuses() {
    what=$1
    shift
    status=0
    "$PRIVCHECK" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
    if [ "$status" -ne 2 ]; then
        fail=$((fail + 1))
        echo "FAIL: $*: exit $status, want 2"
    elif [ -s "$tmp/out" ]; then
        fail=$((fail + 1))
        echo "FAIL: $*: wrote to standard output"
    elif ! grep -q -F -e "$what" "$tmp/err"; then
        fail=$((fail + 1))
        echo "FAIL: $*: no \"$what\" in:"
        sed 's/^/    /' "$tmp/err"
    else
        pass=$((pass + 1))
        echo "PASS: $what"
    fi
}

# repeat N WORD...: the words N times, one argument each.
repeat() {
    n=$1
    shift
    i=0
    while [ "$i" -lt "$n" ]; do
        printf '%s\n' "$@"
        i=$((i + 1))
    done
}

refuses "waive needs one FINGERPRINT or RULE:OBJECT" waive \
    --reason r --approved-by a@example.com --expires 2030-01-01
refuses "waive writes to one --waivers file" waive SEN-001:x \
    --waivers "$tmp/a.xml" --waivers "$tmp/b.xml" --reason r \
    --approved-by a@example.com --expires 2030-01-01
refuses "explain needs exactly one rule ID" explain
refuses "explain needs exactly one rule ID" explain SEN-001 SEN-002
refuses "classify needs at least one NAME" classify
refuses "rules test prints text, not" rules test --format json
refuses "rules takes no arguments but test" rules list
refuses "--coverage is an option of rules test" rules --coverage
refuses "policy render takes no argument" policy render extra
refuses "policy needs a subcommand" policy
refuses "--completion knows bash, not" --completion zsh
refuses "--output without a --format of its own" check -o "$tmp/a" \
    -o "$tmp/b" "$fx"
refuses "unknown --format" check --format nosuch "$fx"
# One run holds at most 16 reports, 64 waivers files, 64 --manifest.
# shellcheck disable=SC2046
refuses "too many reports in one run" check $(repeat 17 --format text) "$fx"
# shellcheck disable=SC2046
refuses "too many --waivers files" check \
    $(repeat 65 --waivers "$tmp/w.xml") "$fx"
# shellcheck disable=SC2046
refuses "too many --manifest files" policy diff \
    $(repeat 65 --manifest "$fx") "$fx" "$fx"

# And what is accepted: --color auto, and -o - for standard output.
status=0
"$PRIVCHECK" check --color auto --format json -o - "$fx" >"$tmp/out" \
    2>"$tmp/err" || status=$?
if [ "$status" -eq 1 ] && jq -e '.findings | length > 0' "$tmp/out" \
    >/dev/null; then
    pass=$((pass + 1))
    echo "PASS: --color auto and -o - write the JSON report to stdout"
else
    fail=$((fail + 1))
    echo "FAIL: --color auto -o -: exit $status"
fi

echo "usage.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
