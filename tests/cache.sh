#!/bin/sh
# cache.sh - the start-up cache (checker/cache.h) changes nothing but
# time: the same reports with it, without it, and with it damaged; a
# document is taken as valid only in the very bytes that were; the cache
# is used only in a directory that is the user's alone.
#
# Run by `make check`, which sets PRIVCHECK and SRCDIR.
set -eu

: "${PRIVCHECK:?set PRIVCHECK to the privcheck binary (run make check)}"
: "${SRCDIR:?set SRCDIR to the source tree (run make check)}"

name=cache
. "$SRCDIR/tests/check-lib.sh"
unset PRIVCHECK_NO_CACHE
XDG_CACHE_HOME=$tmp/home
export XDG_CACHE_HOME
dir=$XDG_CACHE_HOME/privcheck
viol=$SRCDIR/fixtures/violations/SEN-001.xml

run() {
    status=0
    "$PRIVCHECK" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
}
# The largest entry: the compiled patterns.
store() { ls -S "$dir" | head -n 1; }

PRIVCHECK_NO_CACHE=1 "$PRIVCHECK" check --format json "$viol" \
    >"$tmp/want" 2>&1 || :
PRIVCHECK_NO_CACHE=1 "$PRIVCHECK" explain SEN-001 >"$tmp/want-explain"

if [ ! -e "$dir" ]; then
    ok "PRIVCHECK_NO_CACHE=1 makes no cache"
else
    nok "PRIVCHECK_NO_CACHE=1 makes no cache"
fi

run check --format json "$viol"
cat "$tmp/err" >>"$tmp/out"
if cmp -s "$tmp/want" "$tmp/out" && [ -n "$(ls "$dir")" ] &&
    [ "$(stat -c %a "$dir")" = 700 ]; then
    ok "a first run fills a private cache and reports as without one"
else
    nok "a first run fills a private cache and reports as without one"
fi
s=$(store)
cp "$dir/$s" "$tmp/store"
n=$(ls "$dir" | wc -l)

run check --format json "$viol"
cat "$tmp/err" >>"$tmp/out"
if cmp -s "$tmp/want" "$tmp/out" && [ "$(ls "$dir" | wc -l)" -eq "$n" ] &&
    cmp -s "$dir/$s" "$tmp/store"; then
    ok "a second run reports the same from the cache, adding nothing"
else
    nok "a second run reports the same from the cache, adding nothing"
fi

run explain SEN-001
if [ "$status" -eq 0 ] && cmp -s "$tmp/want-explain" "$tmp/out"; then
    ok "explain from the cache"
else
    nok "explain from the cache"
fi

# Damaged patterns: one byte flipped in the middle, half the file, none
# of it. Each time the run compiles afresh, writes a whole entry again,
# and the next run takes that one as it is.
size=$(stat -c %s "$dir/$s")
damaged() {
    run check --format json "$viol"
    cat "$tmp/err" >>"$tmp/out"
    cp "$dir/$s" "$tmp/rewritten"
    if cmp -s "$tmp/want" "$tmp/out" && ! cmp -s "$dir/$s" "$tmp/damaged"; then
        run check --format json "$viol"
        cat "$tmp/err" >>"$tmp/out"
        if cmp -s "$tmp/want" "$tmp/out" && cmp -s "$dir/$s" "$tmp/rewritten"
        then
            ok "$1"
            return 0
        fi
    fi
    nok "$1"
}
cp "$tmp/store" "$dir/$s"
printf '\377' | dd of="$dir/$s" bs=1 seek=$((size / 2)) conv=notrunc \
    2>/dev/null
cp "$dir/$s" "$tmp/damaged"
damaged "a damaged entry is compiled afresh and written again"
head -c $((size / 2)) "$tmp/store" >"$dir/$s"
cp "$dir/$s" "$tmp/damaged"
damaged "so is a truncated one"
: >"$dir/$s"
cp "$dir/$s" "$tmp/damaged"
damaged "and an empty one"

# A policy is valid in its bytes, not its name: once a run has found it
# valid, the same file made invalid is refused.
cp "$SRCDIR/policy/serenepractice.xml" "$tmp/policy.xml"
run --policy "$tmp/policy.xml" check "$viol"
check "a copy of the policy is audited with" 1 "SEN-001"
sed 's/<policy /<policy bogus="1" /' "$SRCDIR/policy/serenepractice.xml" \
    >"$tmp/policy.xml"
grep -q 'bogus="1"' "$tmp/policy.xml"
run --policy "$tmp/policy.xml" check "$viol"
check "the same file made invalid is refused" 2 "policy.xml:"
run --policy "$tmp/policy.xml" check "$viol"
check "and refused again: nothing invalid is remembered" 2 "policy.xml:"

# A directory others may write to is not trusted, nor used.
rm -rf "$dir"
mkdir -m 777 "$dir"
chmod 777 "$dir"
run check --format json "$viol"
cat "$tmp/err" >>"$tmp/out"
if cmp -s "$tmp/want" "$tmp/out" && [ -z "$(ls "$dir")" ]; then
    ok "a cache directory others can write is left alone"
else
    nok "a cache directory others can write is left alone"
fi
rm -rf "$dir"
ln -s "$tmp" "$dir"
run check --format json "$viol"
cat "$tmp/err" >>"$tmp/out"
if cmp -s "$tmp/want" "$tmp/out" && [ -L "$dir" ] &&
    [ -z "$(ls "$tmp" | grep -E '^[0-9a-f]{64}$')" ]; then
    ok "so is a symbolic link"
else
    nok "so is a symbolic link"
fi
rm -f "$dir"

# No cache to be had: the run goes on without one.
: >"$tmp/file"
XDG_CACHE_HOME=$tmp/file
run check --format json "$viol"
cat "$tmp/err" >>"$tmp/out"
if cmp -s "$tmp/want" "$tmp/out"; then
    ok "a cache that cannot be made is no error"
else
    nok "a cache that cannot be made is no error"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
