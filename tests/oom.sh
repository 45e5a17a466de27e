#!/bin/sh
# oom.sh - allocation failure over the commands CI depends on
# (tests/alloc-fail.sh in fork mode): `check` of a violating fixture in
# text and JSON, with a baseline and with waivers, `validate` and
# `explain`. Each failed allocation must end in exit 2 saying out of
# memory, or in the unfailed run's exact result; a crash, a hang or any
# other outcome fails. ALLOC_FAIL_RUNS (default 200) is how many values
# of N per command, spread over the run; `make alloc-fail` sets it to
# "all". Run by `make check` (SHIM, the LD_PRELOAD library, is built for
# it); skipped (77) where another allocator is in the way: a sanitizer
# build, privcheck under a wrapper such as valgrind, or a coverage build.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"
: "${BUILDDIR:?set BUILDDIR to the build tree (run make check)}"
runs=${ALLOC_FAIL_RUNS:-200}
PRIVCHECK=${PRIVCHECK_BIN:-$PRIVCHECK}
if [ "${ALLOC_FAIL_HOOKED:-0}" = 1 ]; then
    # privcheck has the hook linked in (make alloc-fail-hooked): nothing
    # to preload, and a sanitizer watches every run.
    SHIM=
else
    SHIM=${SHIM:-$BUILDDIR/tests/.libs/libfailalloc.so}
    case ${SAN_CFLAGS:-} in
    *-fsanitize*)
        echo "SKIP: a sanitizer build brings its own allocator" \
            "(make alloc-fail-hooked is this test for it)"
        exit 77
        ;;
    *--coverage*)
        # gcov writes its counters at exit through the same allocator, and
        # a child forked there waits forever on the files' locks.
        echo "SKIP: a coverage build's exit is gcov's"
        exit 77
        ;;
    esac
    if [ -n "${PRIVCHECK_WRAPPER:-}" ]; then
        echo "SKIP: privcheck runs under $PRIVCHECK_WRAPPER"
        exit 77
    fi
    [ -f "$SHIM" ] || { echo "oom.sh: $SHIM not built" >&2; exit 2; }
fi
export SHIM PRIVCHECK

tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-oom.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

fx=$SRCDIR/fixtures/violations/SEN-001.xml
cases=$SRCDIR/fixtures/cases
prior=$tmp/prior.json
"$PRIVCHECK" check --format json -o "$prior" "$fx" || [ $? -eq 1 ]

pass=0
fail=0
sweep() {
    if sh "$SRCDIR/tests/alloc-fail.sh" -F -n "$runs" -- "$@" >"$tmp/log" 2>&1
    then
        pass=$((pass + 1))
        echo "PASS: $(tail -n 1 "$tmp/log")"
    else
        fail=$((fail + 1))
        echo "FAIL: privcheck $*"
        sed 's/^/    /' "$tmp/log"
    fi
}
# The same days every time: the waivers' expiry is judged on --today.
SOURCE_DATE_EPOCH=1764547200
export SOURCE_DATE_EPOCH
sweep check --format text "$fx"
sweep check --format json "$fx"
sweep check --baseline "$prior" --format json "$fx"
sweep check --today 2026-12-01 --waivers "$cases/waiver-overlaps.waivers.xml" \
    "$cases/waiver-overlaps.xml"
sweep validate "$SRCDIR/policy/serenepractice.xml"
sweep explain SEN-001
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
