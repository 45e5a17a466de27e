#!/bin/sh
# options.sh - no option is ignored: every command takes an option or
# refuses it (exit 2, naming the commands that take it); --format json
# for rules, classify and explain; check - reads standard input; rule ids
# in any case; --quiet and --color; messages name privcheck; the bash
# completion knows what --help knows. Run by `make check`.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-options.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
fx=$SRCDIR/fixtures

run() {
    status=0
    "$PRIVCHECK" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
}

# check NAME WANT-STATUS [SHELL-TEST]
check() {
    name=$1
    want=$2
    shift 2
    if [ "$status" != "$want" ]; then
        fail=$((fail + 1))
        echo "FAIL: $name: exit $status, want $want"
        sed -n '1,10s/^/    /p' "$tmp/err"
    elif [ $# -gt 0 ] && ! eval "$*"; then
        fail=$((fail + 1))
        echo "FAIL: $name: $*"
        sed -n '1,10s/^/    out: /p' "$tmp/out"
        sed -n '1,10s/^/    err: /p' "$tmp/err"
    else
        pass=$((pass + 1))
        echo "PASS: $name"
    fi
}

# Every option of --help, against every command that does not take it
# (the completion lists, per command, the ones it does).
"$PRIVCHECK" --completion bash >"$tmp/completion.bash"
"$PRIVCHECK" --help >"$tmp/help"
sed -n 's/^  \(-., \)\{0,1\}--\([a-z-]*\).*/\2/p' "$tmp/help" | sort -u >"$tmp/all"
[ "$(wc -l <"$tmp/all")" -gt 20 ] && pass=$((pass + 1)) ||
    { fail=$((fail + 1)); echo "FAIL: --help lists the options"; }
for cmd in check validate explain classify rules policy waive; do
    sed -n "/^    $cmd)\$/{n;s/^ *opts='\\(.*\\)'\$/\\1/p;}" \
        "$tmp/completion.bash" | tr ' ' '\n' | sed 's/^--//' | sort -u \
        >"$tmp/takes"
    [ -s "$tmp/takes" ] || { fail=$((fail + 1)); echo "FAIL: $cmd: no options in the completion"; }
    for opt in $(comm -23 "$tmp/all" "$tmp/takes"); do
        case $opt in help | version | completion) continue ;; esac
        # a value the option itself accepts, so only the command refuses it
        case $opt in
        fail-on) val=error ;; color) val=never ;; coverage-threshold) val=50 ;;
        jobs) val=2 ;; source-root) val=. ;; max-bytes) val=1M ;; today) val=2026-01-01 ;;
        format) val=json ;; *) val=x ;;
        esac
        if grep -q -- "--$opt [A-Z]" "$tmp/help" ||
            grep -q -- "--$opt RULE" "$tmp/help"; then
            run "$cmd" "--$opt" "$val" y
        else
            run "$cmd" "--$opt" y
        fi
        check "$cmd refuses --$opt" 2 \
            "grep -q -- '^privcheck: --$opt is an option of .*, not of: $cmd\$' \"\$tmp/err\""
    done
done
# Each long option --help lists is in the completion, and back.
for opt in $(cat "$tmp/all"); do
    grep -q -- "--$opt\\b" "$tmp/completion.bash" ||
        { fail=$((fail + 1)); echo "FAIL: --$opt not in the completion"; }
done

run rules --format json
check "rules --format json is JSON" 0 \
    "jq -e '.rules | length > 40 and (.[0] | has(\"id\") and has(\"clauses\"))' \"\$tmp/out\" >/dev/null"
run classify --format json ssn email_addr
check "classify --format json is JSON" 0 \
    "jq -e '.classifications[0].element == \"sensitive.ssn\" and (.classifications | length == 2)' \"\$tmp/out\" >/dev/null"
run explain --format json SEN-001
check "explain --format json is JSON" 0 \
    "jq -e '.id == \"SEN-001\" and (.clauses | length > 0) and (.fix | length > 0)' \"\$tmp/out\" >/dev/null"
run rules --format sarif
check "rules refuses a report format" 2 "grep -q 'text or json' \"\$tmp/err\""
run classify --format json --explain ssn
check "classify --explain is text only" 2
run explain sen-001
check "rule ids in any case" 0 "head -n 1 \"\$tmp/out\" | grep -q '^SEN-001 (error)'"

status=0
"$PRIVCHECK" check - <"$fx/violations/SEN-001.xml" >"$tmp/out" 2>"$tmp/err" || status=$?
check "check - audits standard input as <stdin>" 1 \
    "grep -q '^<stdin>:15: error: \\[SEN-001\\]' \"\$tmp/out\""
status=0
cat "$fx/compliant-practice-web.xml" | "$PRIVCHECK" check --format json - \
    >"$tmp/out" 2>"$tmp/err" || status=$?
check "check - from a pipe, JSON names <stdin>" 0 \
    "jq -e '[.. | strings] | index(\"<stdin>\") != null' \"\$tmp/out\" >/dev/null"
run check - - </dev/null
check "standard input once" 2

run check --quiet "$fx/violations/RET-005.xml"
check "--quiet: no warnings, the summary" 0 \
    "! grep -q RET-005 \"\$tmp/out\" && grep -q '^privcheck: 1 manifest, 0 errors, 1 warning' \"\$tmp/out\""
run check -q "$fx/violations/SEN-001.xml"
check "--quiet keeps errors" 1 "grep -q SEN-001 \"\$tmp/out\""
check "--quiet: no disclosures line" 1 "! grep -q '^privcheck: disclosures:' \"\$tmp/out\""
run check "$fx/violations/SEN-001.xml"
check "without --quiet, the disclosures line before the summary" 1 \
    "tail -n 2 \"\$tmp/out\" | head -n 1 | grep -qx 'privcheck: disclosures: 3 clear, 0 vague, 0 omitted, 0 incorrect'"
run check --color=always "$fx/violations/SEN-001.xml"
check "--color=always colours" 1 "grep -q \"\$(printf '\\033')\" \"\$tmp/out\""
run check --color never "$fx/violations/SEN-001.xml"
check "--color never does not" 1 "! grep -q \"\$(printf '\\033')\" \"\$tmp/out\""
run check --color=sometimes "$fx/violations/SEN-001.xml"
check "--color takes three words" 2

run --bogus
check "option errors name privcheck, not a path" 2 \
    "head -n 1 \"\$tmp/err\" | grep -q '^privcheck: unrecognised option: --bogus\$'"
run check
check "usage errors name privcheck" 2 "grep -q '^privcheck: ' \"\$tmp/err\""

# The completion itself, in bash.
if command -v bash >/dev/null 2>&1; then
    out=$(bash -c '. "$1"; COMP_WORDS=(privcheck check --fo); COMP_CWORD=2
        _privcheck; echo "${COMPREPLY[*]}"
        COMP_WORDS=(privcheck cl); COMP_CWORD=1; _privcheck; echo "${COMPREPLY[*]}"
        COMP_WORDS=(privcheck check --fail-on w); COMP_CWORD=3; _privcheck
        echo "${COMPREPLY[*]}"' sh "$tmp/completion.bash")
    if [ "$out" = "--format
classify
warning" ]; then
        pass=$((pass + 1))
        echo "PASS: the bash completion completes options, commands, values"
    else
        fail=$((fail + 1))
        echo "FAIL: the bash completion: $out"
    fi
fi

# --max-bytes: a manifest of exactly N bytes is audited, one byte more is
# refused (exit 2, naming the limit), as a file and on standard input.
size=$(wc -c <"$fx/compliant-practice-web.xml")
run check --max-bytes "$size" "$fx/compliant-practice-web.xml"
check "--max-bytes N audits a manifest of N bytes" 0
run check --max-bytes "$((size - 1))" "$fx/compliant-practice-web.xml"
check "--max-bytes N refuses a manifest of N + 1 bytes" 2 \
    "grep -q \"file is $size bytes; the limit is $((size - 1))\" \"\$tmp/err\""
status=0
"$PRIVCHECK" check --max-bytes "$((size - 1))" - <"$fx/compliant-practice-web.xml" \
    >"$tmp/out" 2>"$tmp/err" || status=$?
check "--max-bytes bounds standard input too" 2 "grep -q 'limit' \"\$tmp/err\""
run check --max-bytes 1K "$fx/compliant-practice-web.xml"
check "--max-bytes takes K (KiB)" 2 "grep -q 'the limit is 1024\$' \"\$tmp/err\""
run check --max-bytes 1G "$fx/compliant-practice-web.xml"
check "--max-bytes takes G (GiB)" 0
for bad in 0 -1 1X 1KB x 99999999999G 18446744073709551615K; do
    run check --max-bytes "$bad" "$fx/compliant-practice-web.xml"
    check "--max-bytes refuses '$bad'" 2 "grep -q -- '--max-bytes takes' \"\$tmp/err\""
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
