#!/bin/sh
# alloc-fail.sh - allocation failure, the SQLite way: run a privcheck
# command once to count its allocations, then again with the N-th one
# failing (tests/alloc-fail.c, LD_PRELOAD) for N spread over the run, and
# sort every outcome:
#
#   oom      exit 2, nothing on standard output, "out of memory" said
#   exit2    exit 2, nothing on standard output, another message (listed:
#            out of memory must not read as bad input)
#   same     the unfailed run's exit status, output and messages
#   crash    killed by a signal, or an exit status that is not 0, 1 or 2
#            (its stack is printed; those whose first frame past libc is
#            libxml2's are counted apart: faults of the library, README)
#   other    anything else: a partial report, exit 0 or 1 with another
#            result, exit 2 without a message
#
#   tests/alloc-fail.sh [-n RUNS|all] [-F] [-v] -- ARGS...
#
# -n all fails every N in turn. -F (fork mode) makes one run of privcheck
# do them all: at each chosen N the process forks, the child fails that
# allocation and the parent goes on (tests/alloc-fail.c). It is what makes
# every N affordable: minutes instead of a day.
#
# PRIVCHECK (the binary, not a wrapper) and SHIM (the built
# libfailalloc.so) come from the environment, as make check sets them;
# SHIM is empty for a privcheck that has the hook linked in (built with
# -DALLOC_FAIL_WRAP and -Wl,--wrap=malloc..., as .ci/hardening's asan step
# does, so that LeakSanitizer judges every failed run).
# Exits 1 when any run crashed or ended "other". `make alloc-fail` runs it
# over `check` of fixtures/violations/SEN-001.xml in text and JSON.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary}"
: "${SHIM?set SHIM to libfailalloc.so (make tests/libfailalloc.la), or to '' when privcheck has the hook linked in (.ci/hardening asan)}"
runs=250
verbose=0
fork=0
while [ $# -gt 0 ]; do
    case $1 in
    -n) runs=$2; shift 2 ;;
    -F) fork=1; shift ;;
    -v) verbose=1; shift ;;
    --) shift; break ;;
    *) break ;;
    esac
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-alloc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

status=0
LD_PRELOAD=$SHIM ALLOC_COUNT=$tmp/count "$PRIVCHECK" "$@" \
    >"$tmp/base.out" 2>"$tmp/base.err" || status=$?
base=$status
total=$(cat "$tmp/count")
[ "$total" -gt 0 ] || { echo "alloc-fail.sh: no allocation counted" >&2; exit 2; }
[ "$runs" = all ] && runs=$total
step=$((total / runs))
[ "$step" -ge 1 ] || step=1

if [ "$fork" -eq 1 ]; then
    # ALLOC_FAIL_KEEP=DIR keeps what the children left (their outputs and,
    # with ALLOC_FAIL_TRACE=1, the failed call's stack) in DIR.
    fdir=${ALLOC_FAIL_KEEP:-$tmp/fork}
    rm -rf "$fdir"
    mkdir -p "$fdir"
    status=0
    LD_PRELOAD=$SHIM ALLOC_FORK_DIR=$fdir ALLOC_FORK_STEP=$step \
        ALLOC_BASE_STATUS=$base ALLOC_BASE_OUT=$tmp/base.out \
        ALLOC_BASE_ERR=$tmp/base.err ALLOC_BACKTRACE=1 \
        "$PRIVCHECK" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
    bad=0
    # The parent is the unfailed run, and must be it exactly.
    if [ "$status" -ne "$base" ] || ! cmp -s "$tmp/out" "$tmp/base.out" ||
        ! cmp -s "$tmp/err" "$tmp/base.err"; then
        echo "alloc-fail.sh: the forking run is not the unfailed run" \
            "(exit $status, unfailed: $base)"
        bad=1
    fi
    counts=$(tail -n 1 "$fdir/report" 2>/dev/null) || counts=
    case $counts in
    forks*) ;;
    *) echo "alloc-fail.sh: no counts from the forking run" >&2; exit 2 ;;
    esac
    set -- $counts "$@"
    forks=$2 oom=$4 exit2=$6 same=$8 crash=${10} other=${12}
    shift 12
    if grep -q '^exit2' "$fdir/report"; then
        echo "exit 2 without saying out of memory:"
        grep '^exit2' "$fdir/report" | sed 's/^exit2 /    ALLOC_FAIL_AT=/'
    fi
    grep '^crash\|^other' "$fdir/report" | while read -r kind at rest; do
        at=${at%:}
        echo "$kind: ALLOC_FAIL_AT=$at: $rest"
        [ -f "$fdir/$kind-$at.err" ] &&
            sed -n '1,8s/^/    stderr: /p' "$fdir/$kind-$at.err"
    done
    echo "alloc-fail.sh: privcheck $*: $total allocations, $forks runs" \
        "(every ${step}th, forked): $oom oom, $exit2 exit2, $same same," \
        "$crash crash, $other other"
    [ "$crash" -eq 0 ] && [ "$other" -eq 0 ] && [ "$bad" -eq 0 ] &&
        [ "$forks" -gt 0 ]
    exit
fi

oom=0 exit2=0 same=0 crash=0 libxml2=0 other=0 n=1 done=0
: >"$tmp/messages"
while [ "$n" -le "$total" ] && [ "$done" -lt "$runs" ]; do
    status=0
    LD_PRELOAD=$SHIM ALLOC_FAIL_AT=$n ALLOC_BACKTRACE=1 "$PRIVCHECK" "$@" \
        >"$tmp/out" 2>"$tmp/err" || status=$?
    if [ "$status" -gt 2 ]; then
        crash=$((crash + 1))
        echo "crash: ALLOC_FAIL_AT=$n: exit $status"
        # The stack, past the shim's handler and libc's signal frame.
        grep '^/.*(.*)\[0x' "$tmp/err" | sed -n '3,8s/^/    /p'
        # Whose code crashed: the first frame that is neither the shim's
        # nor libc's (abort, or free finding the heap corrupt).
        grep '^/.*(.*)\[0x\|^[^ ]*privcheck(.*)\[0x' "$tmp/err" |
            grep -v 'libfailalloc\|/libc\.so' | head -n 1 |
            grep -q 'libxml2' && libxml2=$((libxml2 + 1))
    elif [ "$status" -eq 2 ] && [ ! -s "$tmp/out" ] && [ -s "$tmp/err" ]; then
        if grep -q 'out of memory' "$tmp/err"; then
            oom=$((oom + 1))
        else
            exit2=$((exit2 + 1))
            echo "ALLOC_FAIL_AT=$n: $(head -n 1 "$tmp/err")" >>"$tmp/messages"
        fi
    elif [ "$status" -eq "$base" ] && cmp -s "$tmp/out" "$tmp/base.out" &&
        cmp -s "$tmp/err" "$tmp/base.err"; then
        same=$((same + 1))
    else
        other=$((other + 1))
        echo "other: ALLOC_FAIL_AT=$n: exit $status (unfailed: $base)"
        sed -n '1,5s/^/    stderr: /p' "$tmp/err"
    fi
    [ "$verbose" -eq 1 ] && echo "ALLOC_FAIL_AT=$n: exit $status"
    n=$((n + step))
    done=$((done + 1))
done
if [ -s "$tmp/messages" ]; then
    echo "exit 2 without saying out of memory:"
    sed 's/^/    /' "$tmp/messages"
fi
echo "alloc-fail.sh: privcheck $*: $total allocations, $done runs (every" \
    "${step}th): $oom oom, $exit2 exit2, $same same, $crash crash" \
    "($libxml2 of them in libxml2), $other other"
[ "$crash" -eq 0 ] && [ "$other" -eq 0 ]
