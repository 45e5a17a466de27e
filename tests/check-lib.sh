# check-lib.sh - what the end-to-end tests that grep privcheck's output
# share (rules-test.sh, manifest-ext.sh); sourced, not run. The sourcing
# script sets `name` (for the temporary directory) and its own run(),
# which leaves the output in $tmp/out and $tmp/err and the exit in status.

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() {
    fail=$((fail + 1))
    echo "FAIL: $1"
    sed -n '1,20s/^/    stdout: /p' "$tmp/out"
    sed -n '1,20s/^/    stderr: /p' "$tmp/err"
}

# check NAME WANT-STATUS [FIXED-STRING-IN-STDOUT-OR-STDERR...]
check() {
    what=$1
    want=$2
    shift 2
    if [ "$status" -ne "$want" ]; then
        nok "$what: exit status $status, want $want"
        return 0
    fi
    for s in "$@"; do
        if ! grep -q -F -e "$s" "$tmp/out" "$tmp/err"; then
            nok "$what: no '$s' in the output"
            return 0
        fi
    done
    ok "$what"
}
