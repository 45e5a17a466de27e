#!/bin/sh
# build.sh - build the libFuzzer targets of tests/fuzz/ with clang, ASan and
# UBSan, straight from the library sources (no configure needed):
#
#   tests/fuzz/build.sh [OUTDIR]      default: _build/fuzz (git-ignored)
#
# Environment: CC (default clang), CFLAGS (added), SANITIZE (default
# fuzzer,address,undefined; the library gets fuzzer-no-link instead of
# fuzzer). See tests/fuzz/README.md for running the targets.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/_build/fuzz}
CC=${CC:-clang}
SANITIZE=${SANITIZE:-fuzzer,address,undefined}
lib_san=$(printf '%s' "$SANITIZE" | sed 's/fuzzer/fuzzer-no-link/')

# The library is every checker/*.c but main.c (the CLI), as in Makefile.am.
targets="fuzz_manifest fuzz_rule_expr fuzz_classify fuzz_policy fuzz_waivers \
    fuzz_baseline fuzz_dates fuzz_rules fuzz_classifiers fuzz_ruletests \
    fuzz_jwrite"

deps="libxml-2.0 libxslt libpcre2-8 jansson nettle"
# shellcheck disable=SC2086
pkg_cflags=$(pkg-config --cflags $deps)
# shellcheck disable=SC2086
pkg_libs=$(pkg-config --libs $deps)

version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' \
    "$top/configure.ac")

mkdir -p "$out/obj"
# config.h stands in for configure's: only these are used by checker/.
cat >"$out/config.h" <<EOC
#define PACKAGE_NAME "privcheck"
#define PACKAGE_VERSION "${version:-0}"
#define PC_INFO_URI ""
EOC

# One compiler call with the shared flags; "$@" adds the rest. The data
# directories are compiled in as string literals (paths may hold spaces);
# pkg-config's flags and $CFLAGS are meant to be split.
compile() {
    # shellcheck disable=SC2086
    "$CC" -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
        -fno-sanitize-recover=undefined -I"$out" -I"$top/checker" \
        $pkg_cflags "-DPC_PKGDATADIR=\"$top\"" "-DPC_SRCDIR=\"$top\"" \
        "-DPC_BUILDDIR=\"$top\"" "-DPC_BINDIR=\"$out\"" \
        "-DFUZZ_SRCDIR=\"$top\"" ${CFLAGS:-} "$@"
}

objs=
for src in "$top"/checker/*.c; do
    s=$(basename "$src" .c)
    [ "$s" = main ] && continue
    compile -fsanitize="$lib_san" -c "$src" -o "$out/obj/$s.o"
    objs="$objs $out/obj/$s.o"
done
for t in $targets; do
    # shellcheck disable=SC2086
    compile -fsanitize="$SANITIZE" "$here/$t.c" $objs $pkg_libs -lpthread -lm \
        -o "$out/$t"
    echo "built $out/$t"
done
