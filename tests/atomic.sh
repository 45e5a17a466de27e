#!/bin/sh
# atomic.sh - a run killed while it writes --output leaves nothing in the
# output directory: no partial report and no hidden temporary file.
#
# Every --output file is written and synced before the report to
# standard output is; that goes to a FIFO the test holds open but never
# reads, so privcheck blocks there with its --output files complete but
# not yet in place, which is the moment a kill matters most. The test
# waits for that state by looking at the process (its open files and its
# state), never by timing, then kills it:
#
#   - SIGKILL, with the unnamed temporary file (O_TMPFILE): the directory
#     is as it was;
#   - SIGTERM, SIGINT and SIGHUP with the named fallback
#     (PRIVCHECK_NO_TMPFILE=1): the .privcheck-XXXXXX file was there, and
#     the signal handler removed it; the process still died of the signal;
#   - both ways, a run left alone puts the whole report in place.
#
# Linux only (/proc); run by `make check`, which sets PRIVCHECK and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

[ -d /proc/self/fd ] || {
    echo "SKIP: no /proc"
    exit 77
}
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-atomic.XXXXXX")
pids=
cleanup() {
    for p in $pids; do kill -9 "$p" 2>/dev/null || :; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() { fail=$((fail + 1)); echo "FAIL: $1: $2"; }

# A manifest with 400 flows of three uncategorised fields: 1,200
# findings, a text report of about 200 KB, more than a pipe holds.
sh "$SRCDIR/bench/gen-manifest.sh" 400 |
    sed 's/ category="[^"]*"//; s/field name="[^"]*"/field name="zqx"/' \
        >"$tmp/big.xml"
out=$tmp/out
mkdir "$out"
echo old >"$out/kept.txt"

# The process ids of privcheck proper: under valgrind or a libtool
# wrapper "$PRIVCHECK" is not the process that writes, so look for the
# one whose command line names the output directory and which has a file
# open in it.
writer() {
    for d in /proc/[0-9]*; do
        [ -r "$d/cmdline" ] || continue
        tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -q -F -e "$out/" ||
            continue
        for f in "$d"/fd/*; do
            l=$(readlink "$f" 2>/dev/null) || continue
            case $l in "$out"/*) echo "${d#/proc/}"; return 0 ;; esac
        done
    done
    return 1
}

# The FIFO privcheck's standard output goes to: fd 3 holds it open for
# reading (and writing, so that opening it never blocks); nobody reads.
mkfifo "$tmp/pipe"
exec 3<>"$tmp/pipe"

# The signals the test sends start at their default disposition, whatever
# this shell inherited: privcheck leaves an ignored signal ignored (under
# nohup, SIGHUP), and the run would then never end.
dfl='import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])'

# start [ENV=VALUE...]: run privcheck in the background, writing a JSON
# --output into $out and the text report into the FIFO; sets pid (what
# was started) and wpid (privcheck's own process once it is blocked on
# the FIFO with its --output file open; empty if that never happened).
start() {
    # A background job of a shell starts with SIGINT ignored, and an
    # ignored signal is left alone; python3 gives it back its default.
    env "$@" python3 -c "$dfl" "$PRIVCHECK" check --fail-on never --format json \
        --output "$out/report.json" --format text "$tmp/big.xml" \
        >"$tmp/pipe" 2>"$tmp/err" &
    pid=$!
    pids="$pids $pid"
    wpid=
    # Bounded by work, not time: at most 50,000 looks at /proc.
    i=0
    while [ $i -lt 50000 ]; do
        if wpid=$(writer); then
            # Blocked on the full FIFO, every --output synced: sleeping.
            st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' \
                "/proc/$wpid/status" 2>/dev/null || :)
            [ "$st" = S ] && return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        i=$((i + 1))
    done
    wpid=
}

# listing: the names in $out, hidden ones too.
listing() { (cd "$out" && ls -A); }

# finish: reap what start started (status in $status), and empty the
# FIFO by closing and reopening it.
finish() {
    status=0
    wait "$pid" || status=$?
    exec 3<&-
    exec 3<>"$tmp/pipe"
}

# ------------------------------------------------- unnamed temporary file
start
if [ -z "$wpid" ]; then
    nok "SIGKILL while writing" "privcheck never blocked with its output open"
    kill -9 "$pid" 2>/dev/null || :
    finish
else
    if ls -l "/proc/$wpid/fd" 2>/dev/null | grep -q -F "(deleted)"; then
        ok "the report is written to an unnamed file"
    else
        nok "the report is written to an unnamed file" \
            "no deleted file open in /proc/$wpid/fd"
    fi
    kill -KILL "$wpid"
    finish
    [ "$status" -eq 137 ] && ok "it died of SIGKILL" ||
        nok "it died of SIGKILL" "exit status $status"
    if [ "$(listing)" = kept.txt ]; then
        ok "SIGKILL while writing leaves nothing behind"
    else
        nok "SIGKILL while writing leaves nothing behind" "$(listing | tr '\n' ' ')"
    fi
fi
[ "$(cat "$out/kept.txt")" = old ] && ok "other files are untouched" ||
    nok "other files are untouched" "kept.txt changed"

# ------------------------------------------------- named fallback
for sig in TERM:15 INT:2 HUP:1; do
    num=${sig#*:}
    sig=${sig%:*}
    start PRIVCHECK_NO_TMPFILE=1
    name="SIG$sig with a named temporary file"
    if [ -z "$wpid" ]; then
        nok "$name" "privcheck never blocked with its output open"
        kill -9 "$pid" 2>/dev/null || :
        finish
        continue
    fi
    if listing | grep -q '^\.privcheck-'; then
        ok "$name: the fallback names its file"
    else
        nok "$name: the fallback names its file" "$(listing | tr '\n' ' ')"
    fi
    kill "-$sig" "$wpid"
    finish
    want=$((128 + num))
    [ "$status" -eq "$want" ] && ok "$name: it still dies of the signal" ||
        nok "$name: it still dies of the signal" "exit status $status, want $want"
    if [ "$(listing)" = kept.txt ]; then
        ok "$name leaves nothing behind"
    else
        nok "$name leaves nothing behind" "$(listing | tr '\n' ' ')"
    fi
done

# ------------------------------------------------- runs left alone
for mode in unnamed named; do
    rm -f "$out/report.json"
    case $mode in
    unnamed) set -- ;;
    named) set -- PRIVCHECK_NO_TMPFILE=1 ;;
    esac
    status=0
    env "$@" "$PRIVCHECK" check --fail-on never --format json \
        --output "$out/report.json" "$tmp/big.xml" >/dev/null 2>&1 ||
        status=$?
    if [ $status -eq 0 ] && [ "$(listing | tr '\n' ' ')" = "kept.txt report.json " ] &&
        jq -e '.findings | length > 1000' "$out/report.json" >/dev/null; then
        ok "$mode: a complete run puts the whole report in place"
    else
        nok "$mode: a complete run puts the whole report in place" \
            "exit $status; $(listing | tr '\n' ' ')"
    fi
    # Replacing a file keeps its mode, both ways.
    chmod 640 "$out/report.json"
    env "$@" "$PRIVCHECK" check --fail-on never --format json \
        --output "$out/report.json" "$tmp/big.xml" >/dev/null 2>&1 || :
    if [ "$(stat -c %a "$out/report.json")" = 640 ] &&
        [ "$(listing | tr '\n' ' ')" = "kept.txt report.json " ]; then
        ok "$mode: a replaced report keeps its mode, and no temporary name"
    else
        nok "$mode: a replaced report keeps its mode, and no temporary name" \
            "$(stat -c %a "$out/report.json"); $(listing | tr '\n' ' ')"
    fi
done

echo "atomic.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
