# gate-lib.sh - what the CI-gate end-to-end tests (waivers.sh,
# baseline.sh) share; sourced, not run. The sourcing script sets `name`
# (for the temporary directory) and `show` (a jq filter over a failed
# run's JSON, to say what came out), then calls run and expect.

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
command -v jq >/dev/null || { echo "FAIL: jq is needed"; exit 2; }

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() {
    fail=$((fail + 1))
    echo "FAIL: $1: $2"
    sed -n '1,12s/^/    stderr: /p' "$tmp/err"
}

# run ARGS...: privcheck in $tmp (the manifests are copied there, so
# their paths, and fingerprints, are short and fixed); JSON in $tmp/out.
run() {
    status=0
    (cd "$tmp" && "$PRIVCHECK" "$@") >"$tmp/out" 2>"$tmp/err" || status=$?
}

# expect NAME STATUS JQ-FILTER: the last run exited STATUS and the filter
# holds on its JSON output.
expect() {
    if [ "$status" -ne "$2" ]; then
        nok "$1" "exit status $status, want $2"
    elif [ -n "${3:-}" ] && ! jq -e "$3" "$tmp/out" >/dev/null 2>&1; then
        nok "$1" "$(jq -c "$show" "$tmp/out" 2>/dev/null || head -c 400 "$tmp/out")"
    else
        ok "$1"
    fi
}
