#!/bin/sh
# golden.sh - end-to-end golden tests. Each folder in tests/golden/ is a
# case: `args` (privcheck's arguments, one line, paths relative to the
# source tree, where the case runs), and the expected `stdout`, `stderr`
# and `status`. With UPDATE=1 the expected files are rewritten from what
# privcheck prints: read the diff before committing it.
#
# Reports are made reproducible: SOURCE_DATE_EPOCH fixes the times SARIF
# records, and every SHA-256 (64 hex digits) in stdout reads <sha256>, so
# that an edit to the policy or a rule does not rewrite every golden file
# (tests/cli.sh and tests/formats.sh check the real hashes).
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

for dir in "$SRCDIR"/tests/golden/*/; do
    [ -f "$dir/args" ] || continue
    name=$(basename "$dir")
    status=0
    # shellcheck disable=SC2046 # args are words by design
    (cd "$SRCDIR" && NO_COLOR=1 SOURCE_DATE_EPOCH=1700000000 \
        exec "$PRIVCHECK" $(cat "$dir/args")) \
        >"$tmp/raw" 2>"$tmp/stderr" || status=$?
    sed -E 's/[0-9a-f]{64}/<sha256>/g' "$tmp/raw" >"$tmp/stdout"
    echo "$status" >"$tmp/status"
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$tmp/stdout" "$tmp/stderr" "$tmp/status" "$dir"
        echo "UPDATED: $name"
        continue
    fi
    bad=
    for f in status stdout stderr; do
        if ! diff -u "$dir/$f" "$tmp/$f" >"$tmp/diff" 2>&1; then
            bad="$bad $f"
            sed 's/^/    /' "$tmp/diff" | head -n 40
        fi
    done
    if [ -n "$bad" ]; then
        fail=$((fail + 1))
        echo "FAIL: $name:$bad differ"
    else
        pass=$((pass + 1))
        echo "PASS: $name"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
