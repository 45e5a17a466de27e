#!/bin/sh
# valgrind.sh - run privcheck under valgrind's memcheck. The end-to-end
# tests call "$PRIVCHECK"; `make check PRIVCHECK_WRAPPER=valgrind` points
# it here (see Makefile.am), so every privcheck they run is checked:
#
#   make check PRIVCHECK_WRAPPER=valgrind VALGRIND_LOGDIR=/some/dir
#
# An error, or memory definitely or indirectly lost at exit, makes
# privcheck exit 99 (which no test accepts) and is written to
# $VALGRIND_LOGDIR/vg.PID (default: $TMPDIR); .ci/run fails when any such
# file is not empty. Memory still reachable at exit (libxml2's and pcre2's
# global tables) is not a leak. Suppressions: tests/valgrind.supp.
# PRIVCHECK_BIN is what make built. In a shared build that is libtool's
# wrapper script, and valgrind must run the program it wraps: the one in
# .libs/, with the library beside it (`libtool --mode=execute` would do
# that too, but it loses newlines in arguments, which the tests pass).
set -eu

: "${PRIVCHECK_BIN:?set by make check}"
: "${SRCDIR:?set by make check}"
logdir=${VALGRIND_LOGDIR:-${TMPDIR:-/tmp}}
bin=$PRIVCHECK_BIN
libs=$(dirname "$bin")/.libs
if [ -x "$libs/privcheck" ]; then
    bin=$libs/privcheck
    LD_LIBRARY_PATH=$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export LD_LIBRARY_PATH
fi

exec valgrind -q --tool=memcheck \
    --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --track-fds=no \
    --suppressions="$SRCDIR/tests/valgrind.supp" \
    --log-file="$logdir/vg.%p" "$bin" "$@"
