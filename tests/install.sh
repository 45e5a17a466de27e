#!/bin/sh
# install.sh - an installation that runs: `make install` into a staging
# directory gives a privcheck that starts, finds its policy, rules and
# schemas beside it, and audits a manifest from another directory; no
# shared library is installed (the CLI links the engine statically); the
# documentation the man page names and the bash completion are there.
# Run by `make check`, which sets MAKE, BUILDDIR and the directories.
set -eu

: "${MAKE:?run make check}" "${BUILDDIR:?run make check}"
: "${BINDIR:?}" "${DOCDIR:?}" "${DATADIR:?}" "${LIBDIR:?}" "${SRCDIR:?}"

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/privcheck-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

ok() { pass=$((pass + 1)); echo "PASS: $1"; }
nok() { fail=$((fail + 1)); echo "FAIL: $1"; [ -f "$tmp/err" ] && sed -n '1,10s/^/    /p' "$tmp/err"; }

stage=$tmp/stage
if $MAKE -C "$BUILDDIR" install DESTDIR="$stage" >"$tmp/log" 2>&1; then
    ok "make install DESTDIR=..."
else
    cp "$tmp/log" "$tmp/err"
    nok "make install DESTDIR=..."
    echo "$pass passed, $fail failed"
    exit 1
fi
bin=$stage$BINDIR/privcheck

# From a directory that is neither the source nor the build tree, with
# nothing in the environment saying where the data is.
mkdir "$tmp/elsewhere"
cp "$SRCDIR/fixtures/compliant-practice-web.xml" "$SRCDIR/fixtures/violations/SEN-001.xml" "$tmp/elsewhere/"
cd "$tmp/elsewhere"
unset PRIVCHECK_DATADIR || :
status=0
env -u LD_LIBRARY_PATH "$bin" check compliant-practice-web.xml >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 0 ] && grep -q '^privcheck: 1 manifest, no findings$' "$tmp/out" &&
    ok "the installed privcheck starts and audits a clean manifest" ||
    nok "the installed privcheck starts and audits a clean manifest (exit $status)"
status=0
"$bin" check SEN-001.xml >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 1 ] && grep -q '^SEN-001.xml:15: error: \[SEN-001\]' "$tmp/out" &&
    ok "and finds a violation, exit 1" || nok "and finds a violation (exit $status)"
status=0
"$bin" explain SEN-001 >"$tmp/out" 2>"$tmp/err" || status=$?
[ "$status" = 0 ] && ok "explain reads the installed rules" || nok "explain (exit $status)"

if find "$stage" -name 'libprivcheck*' | grep -q .; then
    find "$stage" -name 'libprivcheck*' >"$tmp/err"
    nok "no library is installed"
else
    ok "no library is installed"
fi
if command -v ldd >/dev/null 2>&1 && ldd "$bin" 2>/dev/null | grep -q privcheck; then
    ldd "$bin" >"$tmp/err" 2>&1 || :
    nok "the CLI does not load a privcheck library"
else
    ok "the CLI does not load a privcheck library"
fi
for f in first-manifest.md manifest-format.md json-report.md json-output.md policy-format.md ci.md; do
    [ -s "$stage$DOCDIR/$f" ] && ok "$f installed in the docdir" || nok "$f installed in $DOCDIR"
done
comp=$stage$DATADIR/bash-completion/completions/privcheck
[ -s "$comp" ] && bash -n "$comp" 2>"$tmp/err" && ok "bash completion installed" ||
    nok "bash completion installed"
man=$(find "$stage" -name privcheck.1 | head -n 1)
[ -n "$man" ] && grep -q 'share/doc/privcheck' "$man" &&
    ok "the man page names where the docs are" || nok "the man page names the docdir"
[ -n "$man" ] && grep -q "$DOCDIR" "$man" && ! grep -q '@[a-z]*dir@\|\$(' "$man" &&
    ok "the man page names this installation's directories, no placeholder" ||
    nok "the man page has a placeholder or another docdir"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
